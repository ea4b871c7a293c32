package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Completed;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Marker;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Received;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks, from the order of events the backends recorded, that one tenant's switch from one site to another
 * kept the freeze's promises (DESIGN.md, "the one invariant"). The caller places two markers in the
 * {@link ExchangeLog}: right after {@code freeze()} returned, and right before {@code release()} was called.
 * Used by the demo's report and by the router's freeze acceptance tests.
 */
public record FreezeOrdering(TenantId tenant, SiteId from, SiteId to, Marker freezeReturned,
                             Marker releaseRequested) {
    public FreezeOrdering {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (freezeReturned.sequence() >= releaseRequested.sequence()) {
            throw new IllegalArgumentException("the freeze marker (" + freezeReturned.sequence()
                    + ") must come before the release marker (" + releaseRequested.sequence() + ")");
        }
    }

    /** One promise and whether the recorded events kept it, with the numbers that show it. */
    public record Finding(String promise, boolean kept, String evidence) {
    }

    /** Every promise, in the order a reader follows the switch. */
    public List<Finding> check(ExchangeLog log) {
        List<ExchangeEvent> events = log.events();
        long frozen = freezeReturned.sequence();
        long released = releaseRequested.sequence();
        String t = tenant.value();

        Set<String> completedBeforeFreeze = new HashSet<>();
        long receivedAtOldBeforeFreeze = 0;
        long receivedAtOldAfterFreeze = 0;
        long receivedAtNewBeforeRelease = 0;
        long receivedAtNewAfterRelease = 0;
        long othersCompletedWhileFrozen = 0;
        for (ExchangeEvent e : events) {
            if (e instanceof Completed c && c.sequence() < frozen && isTenant(c.request()) && atSite(c.request(), from)) {
                completedBeforeFreeze.add(c.request().exchangeId());
            }
        }
        long openAtFreeze = 0;
        for (ExchangeEvent e : events) {
            if (e instanceof Received r && isTenant(r.request())) {
                boolean old = atSite(r.request(), from);
                boolean target = atSite(r.request(), to);
                if (old && r.sequence() < frozen) {
                    receivedAtOldBeforeFreeze++;
                    if (!completedBeforeFreeze.contains(r.request().exchangeId())) {
                        openAtFreeze++;
                    }
                } else if (old) {
                    receivedAtOldAfterFreeze++;
                }
                if (target && r.sequence() < released) {
                    receivedAtNewBeforeRelease++;
                } else if (target) {
                    receivedAtNewAfterRelease++;
                }
            } else if (e instanceof Completed c && !isTenant(c.request()) && c.sequence() > frozen
                    && c.sequence() < released) {
                othersCompletedWhileFrozen++;
            }
        }
        return List.of(
                new Finding("every request of " + t + " that reached " + from + " completed before freeze returned",
                        openAtFreeze == 0, receivedAtOldBeforeFreeze + " received before the freeze, "
                        + openAtFreeze + " still open when it returned"),
                new Finding("no request of " + t + " reached " + from + " after the freeze",
                        receivedAtOldAfterFreeze == 0, receivedAtOldAfterFreeze + " received after"),
                new Finding("no request of " + t + " reached " + to + " before the release",
                        receivedAtNewBeforeRelease == 0, receivedAtNewBeforeRelease + " received before"),
                new Finding(to + " served " + t + " after the release",
                        receivedAtNewAfterRelease > 0, receivedAtNewAfterRelease + " received after"),
                new Finding("other tenants were served while " + t + " was frozen",
                        othersCompletedWhileFrozen > 0, othersCompletedWhileFrozen + " completed meanwhile"));
    }

    private boolean isTenant(BackendRequest request) {
        return request.tenant().map(tenant.value()::equals).orElse(false);
    }

    private static boolean atSite(BackendRequest request, SiteId site) {
        return request.site().equals(site);
    }
}
