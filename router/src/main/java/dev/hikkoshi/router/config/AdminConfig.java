package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ConfigNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The router's admin listener ({@code router.admin}): its address (loopback by default) and its named bearer
 * tokens, each read from an environment variable. The router refuses to start without a non-empty token.
 */
public record AdminConfig(InetSocketAddress listen, List<AdminToken> tokens) {
    public static final String DEFAULT_LISTEN = "127.0.0.1:8081";

    public AdminConfig {
        tokens = List.copyOf(tokens);
    }

    static AdminConfig bind(ConfigNode node) {
        String expectedTokens = "a map of token names to {env: VARIABLE}, such as {controller: {env: HIKKOSHI_ROUTER_TOKEN}}";
        node.allowOnly("listen", "tokens");
        InetSocketAddress listen = ProxySection.listen(node.get("listen"), DEFAULT_LISTEN);
        List<AdminToken> tokens = new ArrayList<>();
        ConfigNode tokensNode = node.get("tokens");
        if (!tokensNode.isPresent() || (tokensNode.isMap() && tokensNode.entries().isEmpty())) {
            tokensNode.problem(tokensNode.display(), expectedTokens + " (the admin API refuses every request without one)");
        } else if (!tokensNode.isMap()) {
            tokensNode.problem(expectedTokens);
        } else {
            tokensNode.entries().forEach((name, token) -> {
                if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                    token.problem(name, "a token name of letters, digits, '_', '.' or '-'");
                    return;
                }
                if (!token.isMap()) {
                    token.problem("{env: VARIABLE} naming the environment variable that holds the token");
                    return;
                }
                token.allowOnly("env");
                ConfigNode env = token.get("env");
                if (!env.require("the name of the environment variable that holds the token")) {
                    return;
                }
                Optional<String> secret = env.secretFromEnvironment();
                if (secret.isPresent() && secret.get().isBlank()) {
                    env.problem("the name of an environment variable that is set and not empty");
                } else {
                    secret.ifPresent(s -> tokens.add(new AdminToken(name, s)));
                }
            });
        }
        return new AdminConfig(listen, tokens);
    }
}
