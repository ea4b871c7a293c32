package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ByteSize;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.router.proxy.ProxySettings;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Binds the proxy's keys of the {@code router} section ({@code listen}, {@code timeouts}, {@code limits},
 * {@code pool}, {@code io-threads}, {@code tenant-header}, {@code access-log}, ...) into {@link ProxySettings},
 * starting from its production defaults. Used by {@link RouterConfig#bind}.
 */
final class ProxySection {
    static final String[] KEYS = {"listen", "timeouts", "limits", "pool", "io-threads", "tenant-header",
            "request-id-header", "via", "access-log"};
    private static final String HEADER_NAME = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";

    private ProxySection() {
    }

    static ProxySettings bind(ConfigNode router, String defaultListen) {
        ProxySettings d = ProxySettings.defaults();
        ProxySettings.Builder b = d.toBuilder();
        b.listen(listen(router.get("listen"), defaultListen));

        ConfigNode t = router.get("timeouts");
        t.allowOnly("connect", "response-header", "io-idle", "client-idle", "header-read");
        Duration ms = Duration.ofMillis(1);
        b.connectTimeout(t.get("connect").duration(d.connectTimeout(), ms));
        b.responseHeaderTimeout(t.get("response-header").duration(d.responseHeaderTimeout(), ms));
        b.ioIdleTimeout(t.get("io-idle").duration(d.ioIdleTimeout(), ms));
        b.clientIdleTimeout(t.get("client-idle").duration(d.clientIdleTimeout(), ms));
        b.headerReadTimeout(t.get("header-read").duration(d.headerReadTimeout(), ms));

        ConfigNode l = router.get("limits");
        l.allowOnly("max-request-line", "max-header-size", "max-headers", "max-body");
        b.maxInitialLineBytes(intSize(l.get("max-request-line"), d.maxInitialLineBytes(), 64));
        b.maxHeaderBytes(intSize(l.get("max-header-size"), d.maxHeaderBytes(), 256));
        b.maxHeaderCount((int) l.get("max-headers").integer(d.maxHeaderCount(), 1, 10_000));
        b.maxBodyBytes(l.get("max-body").size(new ByteSize(d.maxBodyBytes()), new ByteSize(0)).bytes());

        ConfigNode p = router.get("pool");
        p.allowOnly("max-connections-per-upstream", "max-pending", "idle-timeout", "connect-attempts",
                "stale-retries", "write-buffer");
        b.maxConnectionsPerUpstream((int) p.get("max-connections-per-upstream")
                .integer(d.maxConnectionsPerUpstream(), 1, 100_000));
        b.maxPendingAcquires((int) p.get("max-pending").integer(d.maxPendingAcquires(), 0, 1_000_000));
        b.upstreamIdleTimeout(p.get("idle-timeout").duration(d.upstreamIdleTimeout(), ms));
        b.maxConnectAttempts((int) p.get("connect-attempts").integer(d.maxConnectAttempts(), 1, 100));
        b.maxStaleRetries((int) p.get("stale-retries").integer(d.maxStaleRetries(), 0, 10));
        b.writeBufferHighWaterBytes(intSize(p.get("write-buffer"), d.writeBufferHighWaterBytes(), 1024));

        b.ioThreads((int) router.get("io-threads").integer(d.ioThreads(), 0, 1024));
        b.tenantHeader(header(router.get("tenant-header"), d.tenantHeader()));
        b.requestIdHeader(header(router.get("request-id-header"), d.requestIdHeader()));
        b.viaPseudonym(header(router.get("via"), d.viaPseudonym()));
        b.accessLog(router.get("access-log").bool(d.accessLog()));
        return b.build();
    }

    /** A listen address resolved now (binding needs a resolved one); a problem if the host does not resolve. */
    static InetSocketAddress listen(ConfigNode node, String defaultValue) {
        InetSocketAddress a = node.address(defaultValue);
        InetSocketAddress resolved = new InetSocketAddress(a.getHostString(), a.getPort());
        if (resolved.isUnresolved()) {
            node.problem(a.getHostString() + ":" + a.getPort(), "a local address that resolves, such as 127.0.0.1:8080");
            return new InetSocketAddress("127.0.0.1", a.getPort());
        }
        return resolved;
    }

    private static int intSize(ConfigNode node, int defaultValue, int min) {
        ByteSize s = node.size(new ByteSize(defaultValue), new ByteSize(min));
        if (s.bytes() > Integer.MAX_VALUE / 2) {
            node.problem("a size of at most 1GiB");
            return defaultValue;
        }
        return (int) s.bytes();
    }

    private static String header(ConfigNode node, String defaultValue) {
        String v = node.text(defaultValue);
        if (!v.matches(HEADER_NAME)) {
            node.problem("an HTTP header name (token characters) such as " + defaultValue);
            return defaultValue;
        }
        return v;
    }
}
