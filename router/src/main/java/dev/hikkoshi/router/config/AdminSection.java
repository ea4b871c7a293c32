package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.router.admin.AdminSettings;
import dev.hikkoshi.router.admin.AdminTokens;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Binds {@code router.admin} (listen address, loopback by default, and named bearer tokens each read from an
 * environment variable) into the admin server's settings. With no token, or an empty one, there are no
 * settings and a problem is recorded: the router refuses to start. Used by {@link RouterConfig#load}.
 */
final class AdminSection {
    private static final String TOKENS = "a map of token names to {env: VARIABLE}, such as"
            + " {controller: {env: HIKKOSHI_ROUTER_TOKEN}}";

    private AdminSection() {
    }

    static Optional<AdminSettings> bind(ConfigNode node) {
        node.allowOnly("listen", "tokens");
        InetSocketAddress listen = ProxySection.listen(node.get("listen"), AdminSettings.DEFAULT_LISTEN);
        ConfigNode tokensNode = node.get("tokens");
        if (!tokensNode.isPresent() || (tokensNode.isMap() && tokensNode.entries().isEmpty())) {
            tokensNode.problem(tokensNode.display(), TOKENS + " (the admin API refuses every request without one)");
            return Optional.empty();
        }
        if (!tokensNode.isMap()) {
            tokensNode.problem(TOKENS);
            return Optional.empty();
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        Map<String, String> nameBySecret = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, ConfigNode> e : tokensNode.entries().entrySet()) {
            String name = e.getKey();
            ConfigNode token = e.getValue();
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                token.problem(name, "a token name of letters, digits, '_', '.' or '-'");
                ok = false;
                continue;
            }
            if (!token.isMap()) {
                token.problem("{env: VARIABLE} naming the environment variable that holds the token");
                ok = false;
                continue;
            }
            token.allowOnly("env");
            ConfigNode env = token.get("env");
            if (!env.require("the name of the environment variable that holds the token")) {
                ok = false;
                continue;
            }
            Optional<String> secret = env.secretFromEnvironment();
            if (secret.isEmpty() || secret.get().isBlank()) {
                if (secret.isPresent()) {
                    env.problem("the name of an environment variable that is set and not empty");
                }
                ok = false;
                continue;
            }
            String other = nameBySecret.putIfAbsent(secret.get(), name);
            if (other != null) {
                env.problem("a variable whose secret differs from token " + other + "'s (the audit log names the token)");
                ok = false;
                continue;
            }
            tokens.put(name, secret.get());
        }
        return ok ? Optional.of(new AdminSettings(listen, AdminTokens.of(tokens))) : Optional.empty();
    }
}
