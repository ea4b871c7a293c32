package dev.hikkoshi.watch.check;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One router's admin API as a check reaches it: its base URL and bearer token. Read from
 * {@code controller.routers} ({@code [{admin: URL, token-env: VAR}]}), or for the embedded setup from
 * {@code router.admin} (its listen address and its first token). Only those keys are read: the sections belong to
 * the controller and the router, which validate the rest.
 */
public record RouterEndpoint(URI admin, String token) {
    @Override
    public String toString() {
        return admin.toString();
    }

    /** The routers a config names; problems go to the config's problem list. */
    public static List<RouterEndpoint> fromConfig(ConfigNode root) {
        List<RouterEndpoint> out = new ArrayList<>();
        ConfigNode routers = root.get("controller").get("routers");
        if (routers.isPresent()) {
            for (ConfigNode r : routers.items()) {
                Optional<URI> url = r.get("admin").requiredText("the router's admin URL such as http://10.0.2.11:8081")
                        .flatMap(t -> uri(r.get("admin"), t));
                Optional<String> token = r.get("token-env").isPresent() ? r.get("token-env").secretFromEnvironment()
                        : r.get("token-env").requiredText("the environment variable that holds the router's admin token");
                if (url.isPresent() && token.isPresent()) {
                    out.add(new RouterEndpoint(url.get(), token.get()));
                }
            }
            return out;
        }
        ConfigNode admin = root.get("router").get("admin");
        if (!admin.isPresent()) {
            routers.problem("a list of routers [{admin: http://HOST:PORT, token-env: VAR}] (or router.admin for the"
                    + " embedded router)");
            return out;
        }
        InetSocketAddress listen = admin.get("listen").address("127.0.0.1:8081");
        Map<String, ConfigNode> tokens = admin.get("tokens").entries();
        if (tokens.isEmpty()) {
            admin.get("tokens").problem("a map of token names to {env: VARIABLE}; the check uses the first");
            return out;
        }
        Optional<String> token = tokens.values().iterator().next().get("env").secretFromEnvironment();
        String host = listen.getHostString().equals("0.0.0.0") ? "127.0.0.1"
                : listen.getHostString().contains(":") ? "[" + listen.getHostString() + "]" : listen.getHostString();
        token.ifPresent(t -> out.add(new RouterEndpoint(URI.create("http://" + host + ":" + listen.getPort()), t)));
        return out;
    }

    /** A router given on the command line ({@code --router URL --token-env VAR}). */
    public static RouterEndpoint of(String url, String tokenVariable, Map<String, String> environment) {
        String token = environment.get(tokenVariable);
        if (token == null || token.isBlank()) {
            throw new UserException("--token-env " + tokenVariable + " names an environment variable that is not set",
                    "export the router's admin token in " + tokenVariable);
        }
        try {
            URI u = URI.create(url);
            if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                throw new IllegalArgumentException("not http(s)");
            }
            return new RouterEndpoint(u, token);
        } catch (IllegalArgumentException e) {
            throw new UserException("--router " + url + " is not a URL", "give the admin URL such as http://127.0.0.1:8081");
        }
    }

    private static Optional<URI> uri(ConfigNode node, String text) {
        try {
            URI u = URI.create(text);
            if (u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                return Optional.of(u);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        node.problem("an http(s) URL such as http://10.0.2.11:8081");
        return Optional.empty();
    }
}
