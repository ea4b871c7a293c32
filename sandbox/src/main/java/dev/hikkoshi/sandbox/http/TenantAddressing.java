package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.tenant.TenantId;
import java.util.Objects;

/**
 * How a {@link LoadGenerator} tells the router which tenant a request belongs to: by the Host header
 * ({@code {tenant}.shop.test}) or by a path prefix ({@code /t/{tenant}}), as the router's {@code tenant-from}
 * rules expect. The connection always goes to the generator's loopback target; only the request changes.
 */
public sealed interface TenantAddressing {
    String PLACEHOLDER = "{tenant}";

    /** The Host header to send for {@code tenant}, or null to send the target's own host:port. */
    String host(TenantId tenant);

    /** The request target for {@code tenant} and a path such as {@code /orders?x=1}. */
    String requestTarget(TenantId tenant, String path);

    static TenantAddressing host(String pattern) {
        return new ByHost(pattern);
    }

    static TenantAddressing pathPrefix(String pattern) {
        return new ByPathPrefix(pattern);
    }

    /** The tenant is in the Host header: {@code {tenant}.shop.test}. */
    record ByHost(String pattern) implements TenantAddressing {
        public ByHost {
            requirePlaceholder(pattern);
        }

        @Override
        public String host(TenantId tenant) {
            return pattern.replace(PLACEHOLDER, tenant.value());
        }

        @Override
        public String requestTarget(TenantId tenant, String path) {
            return path;
        }
    }

    /** The tenant is the path's first segments: {@code /t/{tenant}} then the request's path. */
    record ByPathPrefix(String pattern) implements TenantAddressing {
        public ByPathPrefix {
            requirePlaceholder(pattern);
            if (!pattern.startsWith("/") || pattern.endsWith("/")) {
                throw new IllegalArgumentException("path prefix must start with '/' and not end with it: " + pattern);
            }
        }

        @Override
        public String host(TenantId tenant) {
            return null;
        }

        @Override
        public String requestTarget(TenantId tenant, String path) {
            return pattern.replace(PLACEHOLDER, tenant.value()) + path;
        }
    }

    private static void requirePlaceholder(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("tenant pattern must contain " + PLACEHOLDER + ": " + pattern);
        }
    }
}
