package dev.hikkoshi.app.cli.plan;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.traffic.InFlightRequests;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.cutover.plan.RouterReadings;
import dev.hikkoshi.router.admin.HttpInFlightRequests;
import dev.hikkoshi.router.admin.HttpTrafficWindow;
import dev.hikkoshi.watch.check.RouterEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The routers {@code hikkoshi plan} reads for long-lived requests: those of {@code controller.routers}, or the
 * embedded router's {@code router.admin}, over their admin APIs. A config naming none, or a token variable not set
 * in the operator's shell, gives no routers and the reason, which the plan prints as a warning: planning goes on.
 */
final class PlanRouters {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private PlanRouters() {
    }

    static RouterReadings read(Path config, Map<String, String> environment) {
        ConfigDocument document = ConfigDocument.read(config, environment);
        ConfigNode root = document.root();
        if (!root.get("controller").get("routers").isPresent() && !root.get("router").get("admin").isPresent()) {
            return RouterReadings.none("the config names no router admin API: controller.routers, or router.admin"
                    + " for the embedded router");
        }
        List<RouterEndpoint> endpoints = RouterEndpoint.fromConfig(root);
        if (!document.problems().isEmpty()) {
            return RouterReadings.none(document.problems().list().get(0).toString());
        }
        if (endpoints.isEmpty()) {
            return RouterReadings.none("no router admin token is set in this shell (router.admin.tokens)");
        }
        List<String> names = new ArrayList<>();
        List<TrafficWindow> windows = new ArrayList<>();
        List<InFlightRequests> open = new ArrayList<>();
        for (RouterEndpoint e : endpoints) {
            names.add(e.admin().toString());
            windows.add(new HttpTrafficWindow(e.admin(), e.token(), TIMEOUT));
            open.add(new HttpInFlightRequests(e.admin(), e.token(), TIMEOUT));
        }
        return RouterReadings.of(names, windows, open);
    }
}
