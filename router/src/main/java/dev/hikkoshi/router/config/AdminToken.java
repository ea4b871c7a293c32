package dev.hikkoshi.router.config;

import java.util.Objects;

/**
 * A named bearer token of the admin API ({@code router.admin.tokens.NAME.env}); the name goes to the audit
 * log, the secret never does (not even through {@link #toString()}).
 */
public record AdminToken(String name, String secret) {
    public AdminToken {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "AdminToken[" + name + "]";
    }
}
