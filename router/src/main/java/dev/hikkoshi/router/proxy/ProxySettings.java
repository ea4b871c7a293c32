package dev.hikkoshi.router.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every setting of the proxy's request path, immutable; {@link ProxyServer} reads it, the router's config
 * binder builds it from the {@code router:} section. Start from {@link #defaults()} or {@link #builder()}:
 * the builder starts from the production defaults and {@link Builder#build()} fails at once on a bad value.
 *
 * @param listen                    where the proxy accepts clients
 * @param connectTimeout            TCP connect to an upstream; exceeded: the next upstream, else 502
 * @param responseHeaderTimeout     from the request's last byte sent to the response head received; 504
 * @param upstreamIdleTimeout       how long an unused pooled upstream connection is kept; below common
 *                                  application-server keep-alive times (5 s) so the upstream never closes
 *                                  a connection the proxy is about to reuse
 * @param ioIdleTimeout             no byte moved in either direction during an exchange; 504 before the
 *                                  response head, a closed connection after it
 * @param clientIdleTimeout         keep-alive: an idle client connection between requests is closed
 * @param headerReadTimeout         a request head not complete within this time gets 408 (slowloris)
 * @param maxInitialLineBytes       longer request line: 414
 * @param maxHeaderBytes            larger header block: 431
 * @param maxHeaderCount            more header fields: 431
 * @param maxBodyBytes              larger request body (declared or streamed): 413
 * @param maxConnectionsPerUpstream open connections per upstream, pooled or busy
 * @param maxPendingAcquires        requests waiting for a connection of one upstream; beyond: 503
 * @param writeBufferHighWaterBytes bytes queued on one side before the other side stops reading
 *                                  (back-pressure); the low water mark is half of it
 * @param tenantHeader              the header carrying the resolved tenant, always overwritten
 * @param viaPseudonym              the received-by name in the {@code Via} header this proxy adds
 * @param requestIdHeader           the header carrying the request id forwarded upstream, always set
 * @param maxConnectAttempts        upstreams tried for one request when connecting fails (any method)
 * @param maxStaleRetries           resends of an idempotent request whose pooled connection was found
 *                                  closed by the upstream
 * @param ioThreads                 event-loop threads; 0 means one per available processor
 * @param transport                 the preferred socket transport; the next one is used when the kernel
 *                                  does not offer it ({@link Transport#firstAvailableFrom})
 * @param accessLog                 write one JSON line per request on the {@code hikkoshi.access} logger
 */
public record ProxySettings(InetSocketAddress listen, Duration connectTimeout, Duration responseHeaderTimeout,
                            Duration upstreamIdleTimeout, Duration ioIdleTimeout, Duration clientIdleTimeout,
                            Duration headerReadTimeout, int maxInitialLineBytes, int maxHeaderBytes,
                            int maxHeaderCount, long maxBodyBytes, int maxConnectionsPerUpstream,
                            int maxPendingAcquires, int writeBufferHighWaterBytes, String tenantHeader,
                            String viaPseudonym, String requestIdHeader, int maxConnectAttempts,
                            int maxStaleRetries, int ioThreads, Transport transport, boolean accessLog) {
    /** RFC 9110 token characters: what a header name may be made of. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public ProxySettings {
        Objects.requireNonNull(listen, "listen");
        positive("connectTimeout", connectTimeout);
        positive("responseHeaderTimeout", responseHeaderTimeout);
        positive("upstreamIdleTimeout", upstreamIdleTimeout);
        positive("ioIdleTimeout", ioIdleTimeout);
        positive("clientIdleTimeout", clientIdleTimeout);
        positive("headerReadTimeout", headerReadTimeout);
        atLeast("maxInitialLineBytes", maxInitialLineBytes, 64);
        atLeast("maxHeaderBytes", maxHeaderBytes, 256);
        atLeast("maxHeaderCount", maxHeaderCount, 1);
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 0: " + maxBodyBytes);
        }
        atLeast("maxConnectionsPerUpstream", maxConnectionsPerUpstream, 1);
        atLeast("maxPendingAcquires", maxPendingAcquires, 0);
        atLeast("writeBufferHighWaterBytes", writeBufferHighWaterBytes, 1024);
        token("tenantHeader", tenantHeader);
        token("viaPseudonym", viaPseudonym);
        token("requestIdHeader", requestIdHeader);
        atLeast("maxConnectAttempts", maxConnectAttempts, 1);
        atLeast("maxStaleRetries", maxStaleRetries, 0);
        atLeast("ioThreads", ioThreads, 0);
        Objects.requireNonNull(transport, "transport");
    }

    /** The production defaults, listening on 0.0.0.0:8080. */
    public static ProxySettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.listen = listen;
        b.connectTimeout = connectTimeout;
        b.responseHeaderTimeout = responseHeaderTimeout;
        b.upstreamIdleTimeout = upstreamIdleTimeout;
        b.ioIdleTimeout = ioIdleTimeout;
        b.clientIdleTimeout = clientIdleTimeout;
        b.headerReadTimeout = headerReadTimeout;
        b.maxInitialLineBytes = maxInitialLineBytes;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxHeaderCount = maxHeaderCount;
        b.maxBodyBytes = maxBodyBytes;
        b.maxConnectionsPerUpstream = maxConnectionsPerUpstream;
        b.maxPendingAcquires = maxPendingAcquires;
        b.writeBufferHighWaterBytes = writeBufferHighWaterBytes;
        b.tenantHeader = tenantHeader;
        b.viaPseudonym = viaPseudonym;
        b.requestIdHeader = requestIdHeader;
        b.maxConnectAttempts = maxConnectAttempts;
        b.maxStaleRetries = maxStaleRetries;
        b.ioThreads = ioThreads;
        b.transport = transport;
        b.accessLog = accessLog;
        return b;
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
    }

    private static void token(String name, String value) {
        if (value == null || !TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be an HTTP token such as X-Hikkoshi-Tenant: " + value);
        }
    }

    /** Mutable companion of {@link ProxySettings}; every field starts at its production default. */
    public static final class Builder {
        private InetSocketAddress listen = new InetSocketAddress("0.0.0.0", 8080);
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration responseHeaderTimeout = Duration.ofSeconds(60);
        private Duration upstreamIdleTimeout = Duration.ofSeconds(4);
        private Duration ioIdleTimeout = Duration.ofSeconds(60);
        private Duration clientIdleTimeout = Duration.ofSeconds(75);
        private Duration headerReadTimeout = Duration.ofSeconds(10);
        private int maxInitialLineBytes = 8 * 1024;
        private int maxHeaderBytes = 32 * 1024;
        private int maxHeaderCount = 100;
        private long maxBodyBytes = 1024L * 1024 * 1024;
        private int maxConnectionsPerUpstream = 512;
        private int maxPendingAcquires = 4096;
        private int writeBufferHighWaterBytes = 64 * 1024;
        private String tenantHeader = "X-Hikkoshi-Tenant";
        private String viaPseudonym = "hikkoshi";
        private String requestIdHeader = "X-Request-Id";
        private int maxConnectAttempts = 3;
        private int maxStaleRetries = 1;
        private int ioThreads = 0;
        private Transport transport = Transport.IO_URING;
        private boolean accessLog = true;

        private Builder() {
        }

        public Builder listen(InetSocketAddress value) { listen = value; return this; }
        public Builder connectTimeout(Duration value) { connectTimeout = value; return this; }
        public Builder responseHeaderTimeout(Duration value) { responseHeaderTimeout = value; return this; }
        public Builder upstreamIdleTimeout(Duration value) { upstreamIdleTimeout = value; return this; }
        public Builder ioIdleTimeout(Duration value) { ioIdleTimeout = value; return this; }
        public Builder clientIdleTimeout(Duration value) { clientIdleTimeout = value; return this; }
        public Builder headerReadTimeout(Duration value) { headerReadTimeout = value; return this; }
        public Builder maxInitialLineBytes(int value) { maxInitialLineBytes = value; return this; }
        public Builder maxHeaderBytes(int value) { maxHeaderBytes = value; return this; }
        public Builder maxHeaderCount(int value) { maxHeaderCount = value; return this; }
        public Builder maxBodyBytes(long value) { maxBodyBytes = value; return this; }
        public Builder maxConnectionsPerUpstream(int value) { maxConnectionsPerUpstream = value; return this; }
        public Builder maxPendingAcquires(int value) { maxPendingAcquires = value; return this; }
        public Builder writeBufferHighWaterBytes(int value) { writeBufferHighWaterBytes = value; return this; }
        public Builder tenantHeader(String value) { tenantHeader = value; return this; }
        public Builder viaPseudonym(String value) { viaPseudonym = value; return this; }
        public Builder requestIdHeader(String value) { requestIdHeader = value; return this; }
        public Builder maxConnectAttempts(int value) { maxConnectAttempts = value; return this; }
        public Builder maxStaleRetries(int value) { maxStaleRetries = value; return this; }
        public Builder ioThreads(int value) { ioThreads = value; return this; }
        public Builder transport(Transport value) { transport = value; return this; }
        public Builder accessLog(boolean value) { accessLog = value; return this; }

        /** @throws IllegalArgumentException naming the first bad value */
        public ProxySettings build() {
            return new ProxySettings(listen, connectTimeout, responseHeaderTimeout, upstreamIdleTimeout,
                    ioIdleTimeout, clientIdleTimeout, headerReadTimeout, maxInitialLineBytes, maxHeaderBytes,
                    maxHeaderCount, maxBodyBytes, maxConnectionsPerUpstream, maxPendingAcquires,
                    writeBufferHighWaterBytes, tenantHeader, viaPseudonym, requestIdHeader, maxConnectAttempts,
                    maxStaleRetries, ioThreads, transport, accessLog);
        }
    }
}
