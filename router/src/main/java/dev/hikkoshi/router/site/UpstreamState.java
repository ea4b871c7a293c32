package dev.hikkoshi.router.site;

import dev.hikkoshi.router.route.UpstreamTarget;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live state of one upstream inside a {@link SitePool}.
 *
 * <p>Concurrency: the pick path reads {@link #healthy} and {@link #ejected} (volatile / atomic) and the
 * {@link #active} counter, nothing else. The proxy's feedback (event loops) updates the counters with atomics;
 * {@link #active}, changed twice per request by every event loop, is a {@link LongAdder} so that the loops do
 * not contend for one cache line (a least-connections pick pays for it with a sum).
 * The health-check counters are touched only by the check of this upstream, which never overlaps itself.
 */
final class UpstreamState {
    final UpstreamTarget target;
    final LongAdder active = new LongAdder();
    final AtomicInteger connectFailuresInRow = new AtomicInteger();
    final AtomicInteger serverErrorsInRow = new AtomicInteger();
    final AtomicBoolean ejected = new AtomicBoolean();
    /** How many ejections in a row (the backoff exponent); reset after a calm period in rotation. */
    final AtomicInteger ejectionLevel = new AtomicInteger();
    volatile long returnedAtNanos;
    volatile boolean healthy = true;
    /** Set when the ejection cap kept this upstream in rotation, so the warning is logged once per episode. */
    volatile boolean capWarned;

    // Health-check counters: only the (non-overlapping) check task of this upstream touches them.
    int checkSuccessesInRow;
    int checkFailuresInRow;

    UpstreamState(UpstreamTarget target) {
        this.target = target;
    }

    boolean usable() {
        return healthy && !ejected.get();
    }

    UpstreamStatus status() {
        return new UpstreamStatus(target, healthy, ejected.get(), (int) active.sum());
    }
}
