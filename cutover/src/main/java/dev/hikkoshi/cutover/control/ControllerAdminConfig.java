package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.router.admin.AdminSettings;
import dev.hikkoshi.router.admin.AdminTokens;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code controller.admin} section: where the controller's admin API listens (loopback by default) and its
 * named bearer tokens, each read from an environment variable, with the same conventions as
 * {@code router.admin}. The controller binds it with the secrets ({@link #settings}); the operating commands
 * bind it without them ({@link #load}), because an operator's shell holds only their own token.
 *
 * @param listen   the listen address as written (port 0 allowed)
 * @param tokenEnv each token's name to the environment variable holding its secret, in file order
 */
public record ControllerAdminConfig(InetSocketAddress listen, Map<String, String> tokenEnv) {
    /** Loopback by default: the admin API can roll tenants back, so it is never exposed unless asked. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:8090";
    private static final String TOKENS = "a map of token names to {env: VARIABLE}, such as"
            + " {ops-alice: {env: HIKKOSHI_TOKEN_ALICE}}";

    public ControllerAdminConfig {
        Objects.requireNonNull(listen, "listen");
        tokenEnv = Collections.unmodifiableMap(new LinkedHashMap<>(tokenEnv));
    }

    /**
     * Reads {@code controller.admin} of a config file for a client; throws a
     * {@link dev.hikkoshi.core.config.ConfigException} listing every problem of that section.
     */
    public static ControllerAdminConfig load(ConfigDocument document) {
        ControllerAdminConfig config = bind(document.root().get("controller").get("admin"));
        document.throwIfProblems();
        return config;
    }

    /** Binds the section's shape (no secrets), recording problems; tokens with a problem are left out. */
    public static ControllerAdminConfig bind(ConfigNode node) {
        node.allowOnly("listen", "tokens");
        InetSocketAddress listen = node.get("listen").address(DEFAULT_LISTEN);
        ConfigNode tokensNode = node.get("tokens");
        Map<String, String> tokenEnv = new LinkedHashMap<>();
        if (!tokensNode.isPresent() || (tokensNode.isMap() && tokensNode.entries().isEmpty())) {
            tokensNode.problem(tokensNode.display(), TOKENS + " (the admin API refuses every request without one)");
            return new ControllerAdminConfig(listen, tokenEnv);
        }
        if (!tokensNode.isMap()) {
            tokensNode.problem(TOKENS);
            return new ControllerAdminConfig(listen, tokenEnv);
        }
        tokensNode.entries().forEach((name, token) -> {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                token.problem(name, "a token name of letters, digits, '_', '.' or '-'");
            } else if (!token.isMap()) {
                token.problem("{env: VARIABLE} naming the environment variable that holds the token");
            } else {
                token.allowOnly("env");
                token.get("env").requiredText("the name of the environment variable that holds the token")
                        .ifPresent(env -> tokenEnv.put(name, env));
            }
        });
        return new ControllerAdminConfig(listen, tokenEnv);
    }

    /**
     * The admin server's settings, reading every token's secret from the environment the document was read
     * with; records a problem at {@code controller.admin.tokens.NAME.env} for a variable that is unset or
     * empty, or whose secret another token already has (the audit log must tell them apart). Empty when any
     * problem was recorded.
     */
    public static Optional<AdminSettings> settings(ConfigNode node) {
        int before = node.problems().list().size();
        ControllerAdminConfig config = bind(node);
        InetSocketAddress resolved = new InetSocketAddress(config.listen.getHostString(), config.listen.getPort());
        if (resolved.isUnresolved()) {
            node.get("listen").problem(config.listen.getHostString() + ":" + config.listen.getPort(),
                    "a local address that resolves, such as " + DEFAULT_LISTEN);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, String> nameBySecret = new LinkedHashMap<>();
        config.tokenEnv.keySet().forEach(name -> {
            ConfigNode env = node.get("tokens").get(name).get("env");
            env.secretFromEnvironment().ifPresent(secret -> {
                String other = nameBySecret.putIfAbsent(secret, name);
                if (other != null) {
                    env.problem("a variable whose secret differs from token " + other
                            + "'s (the audit log names the token)");
                } else {
                    secrets.put(name, secret);
                }
            });
        });
        if (node.problems().list().size() > before) {
            return Optional.empty();
        }
        return Optional.of(new AdminSettings(resolved, AdminTokens.of(secrets)));
    }

    /**
     * The URL a client on this host reaches the listener at: a wildcard listen address (0.0.0.0, ::) is
     * reached through loopback.
     */
    public URI url() {
        String host = listen.getHostString();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
            host = "::1";
        }
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + listen.getPort());
    }

    /**
     * The token a client presents: the one in {@code tokenEnvOverride} if given, else the first configured
     * token whose variable is set in {@code environment}.
     *
     * @throws UserException when no such variable is set
     */
    public ClientToken clientToken(Optional<String> tokenEnvOverride, Map<String, String> environment) {
        if (tokenEnvOverride.isPresent()) {
            String variable = tokenEnvOverride.get();
            String secret = environment.get(variable);
            if (secret == null || secret.isBlank()) {
                throw new UserException("--token-env " + variable + " names a variable that is not set",
                        "export " + variable + " with your controller admin token, or name another variable");
            }
            return new ClientToken(variable, secret);
        }
        for (String variable : tokenEnv.values()) {
            String secret = environment.get(variable);
            if (secret != null && !secret.isBlank()) {
                return new ClientToken(variable, secret);
            }
        }
        throw new UserException("no controller admin token: none of " + String.join(", ", tokenEnv.values())
                + " (controller.admin.tokens) is set",
                "export your token's variable, such as " + tokenEnv.values().stream().findFirst()
                        .orElse("HIKKOSHI_TOKEN_ALICE") + ", or pass --token-env VAR");
    }

    /** A token a client presents, and the variable it came from (named in errors, never the secret). */
    public record ClientToken(String variable, String secret) {
        @Override
        public String toString() {
            return "ClientToken[" + variable + "]";
        }
    }
}
