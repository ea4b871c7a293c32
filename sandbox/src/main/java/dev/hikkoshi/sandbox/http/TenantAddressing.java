package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.tenant.TenantId;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link LoadGenerator} tells the router which tenant a request belongs to: by the Host header
 * ({@code {tenant}.shop.test}), by a path prefix ({@code /t/{tenant}}) or by a header, as the router's
 * {@code tenant-from} rules expect. The connection always goes to the generator's loopback target; only the request changes.
 */
public sealed interface TenantAddressing {
    String PLACEHOLDER = "{tenant}";

    /** The Host header to send for {@code tenant}, or null to send the target's own host:port. */
    String host(TenantId tenant);

    /** The request target for {@code tenant} and a path such as {@code /orders?x=1}. */
    String requestTarget(TenantId tenant, String path);

    /** Headers to add for {@code tenant} (none unless the tenant travels in a header). */
    default Map<String, String> headers(TenantId tenant) {
        return Map.of();
    }

    static TenantAddressing host(String pattern) {
        return new ByHost(pattern);
    }

    static TenantAddressing pathPrefix(String pattern) {
        return new ByPathPrefix(pattern);
    }

    static TenantAddressing header(String name) {
        return new ByHeader(name);
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

    /**
     * The tenant's name is a header's value: a router's trusted {@code header} rule, or an application reached
     * without a router, as if the router had forwarded the tenant ({@code X-Hikkoshi-Tenant}).
     */
    record ByHeader(String name) implements TenantAddressing {
        public ByHeader {
            if (name == null || !name.matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("header name must be letters, digits and '-', was " + name);
            }
        }

        @Override
        public String host(TenantId tenant) {
            return null;
        }

        @Override
        public String requestTarget(TenantId tenant, String path) {
            return path;
        }

        @Override
        public Map<String, String> headers(TenantId tenant) {
            return Map.of(name, tenant.value());
        }
    }

    private static void requirePlaceholder(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("tenant pattern must contain " + PLACEHOLDER + ": " + pattern);
        }
    }
}
