package dev.hikkoshi.router.freeze;

import dev.hikkoshi.router.route.Admission;
import dev.hikkoshi.router.route.InFlightRequest;
import dev.hikkoshi.router.route.Route;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One tenant's requests as the freeze gate sees them: those in flight to a site, and those held while the
 * tenant is frozen (in arrival order). Package-private state of {@link FreezeGate}.
 *
 * <p>Concurrency: the in-flight set is a concurrent set touched without locks on the request path; the
 * held queue and its byte count are guarded by this object's monitor, which only frozen tenants' requests,
 * release and timeouts take. {@link #drained} is completed by whoever removes the last in-flight request
 * while a drain waits.
 */
final class TenantTraffic {
    final Set<Tracked> inFlight = ConcurrentHashMap.newKeySet();
    volatile CompletableFuture<Void> drained;
    /** Guarded by {@code this}. */
    final ArrayDeque<HeldRequest> held = new ArrayDeque<>();
    /** Guarded by {@code this}. */
    long heldBytes;

    Tracked register(InFlightRequest request) {
        Tracked t = new Tracked(request, this);
        inFlight.add(t);
        return t;
    }

    void deregister(Tracked t) {
        inFlight.remove(t);
        CompletableFuture<Void> d = drained;
        if (d != null && inFlight.isEmpty()) {
            d.complete(null);
        }
    }

    List<String> describeInFlight() {
        return inFlight.stream().map(Tracked::describe).sorted().toList();
    }

    /** A request held while its tenant is frozen; {@code outcome} is what the proxy waits on. */
    static final class HeldRequest {
        final Route route;
        final long bytes;
        final InFlightRequest request;
        final CompletableFuture<Admission> outcome = new CompletableFuture<>();
        ScheduledFuture<?> timeout;

        HeldRequest(Route route, long bytes, InFlightRequest request) {
            this.route = route;
            this.bytes = bytes;
            this.request = request;
        }
    }

    /**
     * The gate's handle on an admitted request: the proxy calls {@link #finish()} on it (it is the
     * {@code inFlight} of {@link Admission.Proceed}); finishing removes it from the in-flight set, then
     * finishes the proxy's own request.
     */
    static final class Tracked implements InFlightRequest {
        private final InFlightRequest request;
        private final TenantTraffic owner;
        private final AtomicBoolean finished = new AtomicBoolean();
        /** When the gate admitted it: the age {@code GET /open-requests} reports. */
        final long admittedNanos = System.nanoTime();
        /**
         * The in-flight set's hash: a fresh object's identity hash is computed and stored in its header on
         * first use, a visible cost for a key made and dropped once per request. Equality stays identity.
         */
        private final int hash = ThreadLocalRandom.current().nextInt();

        Tracked(InFlightRequest request, TenantTraffic owner) {
            this.request = request;
            this.owner = owner;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public String describe() {
            return request.describe();
        }

        @Override
        public void forceClose() {
            request.forceClose();
        }

        @Override
        public void finish() {
            if (finished.compareAndSet(false, true)) {
                owner.deregister(this);
                request.finish();
            }
        }

        /** Takes back a registration whose request did not proceed (its tenant was frozen meanwhile). */
        void withdraw() {
            if (finished.compareAndSet(false, true)) {
                owner.deregister(this);
            }
        }
    }
}
