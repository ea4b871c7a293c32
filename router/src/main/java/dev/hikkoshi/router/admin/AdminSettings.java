package dev.hikkoshi.router.admin;

import java.net.InetSocketAddress;
import java.util.Objects;

/** Where the admin API listens and which tokens it accepts ({@code router.admin}); read by {@link AdminServer}. */
public record AdminSettings(InetSocketAddress listen, AdminTokens tokens) {
    /** Loopback by default: the admin API can freeze tenants, so it is never exposed unless asked. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:8081";

    public AdminSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tokens, "tokens");
    }

    /** The default address, loopback port 8081. */
    public static InetSocketAddress defaultListen() {
        return new InetSocketAddress("127.0.0.1", 8081);
    }
}
