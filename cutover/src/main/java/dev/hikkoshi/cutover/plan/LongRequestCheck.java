package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.InFlightRequests;
import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.core.traffic.OpenRequests;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.cutover.plan.PreflightFinding.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plan's check for long-lived requests: a freeze first waits for the tenant's requests in flight (up to the
 * drain timeout, half of {@code plan.freeze.max}); a router force-closes those still open after its
 * {@code freeze.drain-grace}, and a drain that does not finish in time aborts the move. So a planned tenant is
 * flagged when, on any router, its requests recently took longer than the drain timeout (the latency histograms
 * of the last {@value #LOOKBACK_MINUTES} minutes, as far as the routers keep them) or some are open that long now
 * (WebSockets, server-sent events, long polls, which finish only when closed).
 */
final class LongRequestCheck {
    static final int LOOKBACK_MINUTES = 15;
    private static final Duration LOOKBACK = Duration.ofMinutes(LOOKBACK_MINUTES);

    private final RouterReadings routers;
    private final Duration drainTimeout;

    LongRequestCheck(RouterReadings routers, Duration drainTimeout) {
        this.routers = routers;
        this.drainTimeout = drainTimeout;
    }

    /** Findings for the move's direction: one per flagged tenant, or one saying none was, or why nothing was read. */
    List<PreflightFinding> check(List<TenantId> tenants, SiteId from, SiteId to) {
        if (routers.isEmpty()) {
            return List.of(notChecked(from, to, routers.missing()));
        }
        TrafficWindow.Snapshot recent;
        Map<TenantId, OpenRequests> openNow;
        try {
            recent = TrafficWindow.merge(routers.windows().stream().map(w -> w.window(LOOKBACK)).toList());
            openNow = InFlightRequests.merge(routers.open().stream().map(o -> o.longerThan(drainTimeout)).toList());
        } catch (RuntimeException e) {
            return List.of(notChecked(from, to, e.getMessage()));
        }
        int bucket = firstBucketAbove(drainTimeout);
        Duration longerThan = Duration.ofMillis(LatencyHistogram.BOUNDS_MILLIS[bucket - 1]);
        String covered = covered(Duration.between(recent.from(), recent.to()));
        List<PreflightFinding> findings = new ArrayList<>();
        for (TenantId tenant : tenants) {
            long slow = recent.stats().entrySet().stream().filter(e -> e.getKey().tenant().equals(tenant.value()))
                    .mapToLong(e -> countFrom(e.getValue().latency(), bucket)).sum();
            OpenRequests open = openNow.get(tenant);
            if (slow == 0 && open == null) {
                continue;
            }
            List<String> seen = new ArrayList<>();
            if (slow > 0) {
                seen.add(slow + (slow == 1 ? " request" : " requests") + " in the last " + covered + " took longer than "
                        + DurationText.format(longerThan));
            }
            if (open != null) {
                seen.add(open.count() + (open.count() == 1 ? " is" : " are") + " open now for longer than "
                        + DurationText.format(drainTimeout) + " (oldest: " + open.oldestRequest() + ")");
            }
            findings.add(new PreflightFinding(from, to, Severity.WARNING, "tenant " + tenant + ": " + String.join(", ",
                    seen) + "; a freeze waits up to " + DurationText.format(drainTimeout) + " for its requests, the"
                    + " routers close those still open after freeze.drain-grace, and a drain that does not finish"
                    + " aborts the move; move it in an hour when such requests are rare, or raise plan.freeze.max"
                    + " (a freeze drains for half of it) if their clients may wait that long"));
        }
        if (findings.isEmpty()) {
            findings.add(new PreflightFinding(from, to, Severity.OK, "long-lived requests: none of the "
                    + tenants.size() + " planned tenants had a request longer than " + DurationText.format(longerThan)
                    + " in the last " + covered + " or one open longer than " + DurationText.format(drainTimeout)
                    + " now (" + routers.names().size() + (routers.names().size() == 1 ? " router: " : " routers: ")
                    + String.join(", ", routers.names()) + ")"));
        }
        return findings;
    }

    private static PreflightFinding notChecked(SiteId from, SiteId to, String why) {
        return new PreflightFinding(from, to, Severity.WARNING, "long-lived requests that could keep a freeze from"
                + " draining: not checked (" + why + "); a freeze that cannot drain within its timeout aborts the move");
    }

    /** How long the routers' window covered, as said in findings: whole minutes (rounded up), or seconds below one. */
    private static String covered(Duration d) {
        long seconds = Math.max(1, d.toSeconds());
        return DurationText.format(seconds < 60 ? Duration.ofSeconds(seconds) : Duration.ofMinutes((seconds + 59) / 60));
    }

    /** The first histogram bucket whose every request took longer than {@code d} (its lower bound is at least d). */
    static int firstBucketAbove(Duration d) {
        long[] bounds = LatencyHistogram.BOUNDS_MILLIS;
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i - 1] >= d.toMillis()) {
                return i;
            }
        }
        return bounds.length; // the overflow bucket: longer than the last bound
    }

    private static long countFrom(LatencyHistogram h, int bucket) {
        long[] counts = h.counts();
        long n = 0;
        for (int i = bucket; i < counts.length; i++) {
            n += counts[i];
        }
        return n;
    }
}
