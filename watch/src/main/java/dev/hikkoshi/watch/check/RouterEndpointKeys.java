package dev.hikkoshi.watch.check;

import dev.hikkoshi.core.config.ConfigCatalog;

/**
 * The documented keys {@link RouterEndpoint} binds: {@code controller.routers}, the routers a separate controller
 * drives (and the check commands reach). Rendered into docs/config.md by the app's generator.
 */
public final class RouterEndpointKeys {
    private RouterEndpointKeys() {
    }

    public static ConfigCatalog catalog() {
        return ConfigCatalog.of("controller.routers", "controller.routers[]")
                .intro("The routers `hikkoshi controller` drives over their admin APIs (the whole routing table,"
                        + " pushed with its version),\nand that `hikkoshi check router` reads. Without it, the checks"
                        + " use `router.admin` (the embedded router).")
                .key("admin", "required", "the router's admin URL, such as `http://10.0.2.11:8081`")
                .key("token-env", "required", "the variable holding a token of the router's `router.admin.tokens`"
                        + " (set and not empty)")
                .build();
    }
}
