package dev.hikkoshi.router.proxy;

import dev.hikkoshi.router.route.ExchangeObserver;
import dev.hikkoshi.router.route.RequestRouter;
import dev.hikkoshi.router.route.SiteUpstreams;
import dev.hikkoshi.router.route.TenantGate;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every client connection of one {@link ProxyServer} shares: settings, collaborators, the in-flight
 * count that draining waits on, and the request id sequence. Immutable apart from counters and the
 * draining flag.
 */
final class ProxyContext {
    final ProxySettings settings;
    final RequestRouter router;
    final TenantGate gate;
    final SiteUpstreams upstreams;
    final ExchangeObserver observer;
    final ForwardedHeaders headers;
    final String via;
    final LongAdder inFlight = new LongAdder();
    final long responseHeaderTimeoutNanos;
    final long ioIdleTimeoutNanos;
    final long headerReadTimeoutNanos;
    final long clientIdleTimeoutNanos;
    /** The connection timer's longest sleep: no deadline can be set nearer than this from now. */
    final long minTimeoutNanos;
    private final String idPrefix;
    private final AtomicLong nextIdBlock = new AtomicLong();
    /**
     * Each event loop takes ids in blocks of {@link #ID_BLOCK} from {@link #nextIdBlock}: one shared counter
     * bumped by every request made both loops write the same cache line for every request. Ids stay unique
     * and increase per connection (a connection stays on one loop); across loops they interleave by blocks.
     */
    private final FastThreadLocal<long[]> idRange = new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
            return new long[] {0, 0};
        }
    };
    private static final long ID_BLOCK = 1024;
    volatile boolean draining;

    ProxyContext(ProxySettings settings, RequestRouter router, TenantGate gate, SiteUpstreams upstreams,
                 ExchangeObserver observer) {
        this.settings = settings;
        this.router = router;
        this.gate = gate;
        this.upstreams = upstreams;
        this.observer = observer;
        this.headers = new ForwardedHeaders(settings);
        this.via = "1.1 " + settings.viaPseudonym();
        this.responseHeaderTimeoutNanos = settings.responseHeaderTimeout().toNanos();
        this.ioIdleTimeoutNanos = settings.ioIdleTimeout().toNanos();
        this.headerReadTimeoutNanos = settings.headerReadTimeout().toNanos();
        this.clientIdleTimeoutNanos = settings.clientIdleTimeout().toNanos();
        this.minTimeoutNanos = Math.min(Math.min(responseHeaderTimeoutNanos, ioIdleTimeoutNanos),
                Math.min(headerReadTimeoutNanos, clientIdleTimeoutNanos));
        // A random prefix per process keeps ids of several routers (and restarts) apart in merged logs.
        this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36,
                36L * 36 * 36 * 36 * 36 * 36 * 36), 36) + "-";
    }

    String nextRequestId() {
        long[] range = idRange.get();
        if (range[0] == range[1]) {
            range[0] = nextIdBlock.getAndIncrement() * ID_BLOCK + 1;
            range[1] = range[0] + ID_BLOCK;
        }
        return idPrefix + Long.toString(range[0]++, 36);
    }
}
