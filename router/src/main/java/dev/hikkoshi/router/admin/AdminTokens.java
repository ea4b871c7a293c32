package dev.hikkoshi.router.admin;

import dev.hikkoshi.core.UserException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named bearer tokens the admin API accepts ({@code router.admin.tokens}); the name of the token a request
 * presented goes to the audit log. Built once at start-up; {@link AdminServer} asks it who sent a request.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every token without an
 * early exit, so that the time taken reveals neither a matching prefix nor a token's length.
 */
public final class AdminTokens {
    private record Named(String name, byte[] digest) {
    }

    private final List<Named> tokens;

    private AdminTokens(List<Named> tokens) {
        this.tokens = tokens;
    }

    /**
     * @param tokensByName token name (for the audit log) to the secret itself, in config order
     * @throws UserException when there is no token, a token is empty, or two names share one secret
     */
    public static AdminTokens of(Map<String, String> tokensByName) {
        if (tokensByName.isEmpty()) {
            throw new UserException("the router's admin API has no token, so nobody could use it safely",
                    "add a named token under router.admin.tokens, such as controller: { env: HIKKOSHI_ROUTER_TOKEN }, "
                            + "and set that variable to a long random secret");
        }
        Map<String, String> seen = new LinkedHashMap<>();
        List<Named> named = new ArrayList<>();
        tokensByName.forEach((name, secret) -> {
            if (secret == null || secret.isBlank()) {
                throw new UserException("admin token " + name + " is empty",
                        "set the environment variable named by router.admin.tokens." + name
                                + ".env to a long random secret (for example: openssl rand -hex 32)");
            }
            String other = seen.putIfAbsent(secret, name);
            if (other != null) {
                throw new UserException("admin tokens " + other + " and " + name + " have the same secret, so the "
                        + "audit log could not tell them apart", "give each admin token its own secret");
            }
            named.add(new Named(name, sha256(secret)));
        });
        return new AdminTokens(List.copyOf(named));
    }

    /** The names of the tokens, for the start-up log line (never the secrets). */
    public List<String> names() {
        return tokens.stream().map(Named::name).toList();
    }

    /** The name of the token whose secret was presented, or empty. */
    public Optional<String> nameOf(String presented) {
        byte[] digest = sha256(presented);
        String match = null;
        for (Named t : tokens) {
            if (MessageDigest.isEqual(digest, t.digest) && match == null) {
                match = t.name;
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminTokens" + names();
    }
}
