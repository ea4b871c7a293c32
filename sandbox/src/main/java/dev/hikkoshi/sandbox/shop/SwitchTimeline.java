package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which site each tenant was placed on over a load run: every tenant starts on one site and may switch (a move,
 * then perhaps a rollback) at given instants. A switch's instant is one taken while the tenant was frozen (after
 * the freeze returned, before the release), so that every request served by the old site started before it and
 * every request served by the new site was answered after it. Tests and the demo build it and give it to
 * {@link RoutingInvariant}.
 *
 * <p>Not thread-safe: build it, then check.
 */
public final class SwitchTimeline {
    private final SiteId initial;
    private final Map<TenantId, SiteId> initialOf = new HashMap<>();
    private final Map<TenantId, List<Switch>> switches = new HashMap<>();

    /** One tenant placed on {@code to} at {@code at}. */
    public record Switch(SiteId to, Instant at) {
        public Switch {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A period of one site: from {@code from} (exclusive; null for the start) to {@code until} (null for now). */
    record Period(SiteId site, Instant from, Instant until) {
        /** Whether a request in flight from {@code start} to {@code end} overlapped this period. */
        boolean overlaps(Instant start, Instant end) {
            return (from == null || end.isAfter(from)) && (until == null || start.isBefore(until));
        }
    }

    private SwitchTimeline(SiteId initial) {
        this.initial = Objects.requireNonNull(initial, "initial");
    }

    /** Every tenant starts on {@code site}. */
    public static SwitchTimeline startingOn(SiteId site) {
        return new SwitchTimeline(site);
    }

    /** {@code tenant} starts on {@code site} instead (before any of its switches is recorded). */
    public SwitchTimeline startsOn(TenantId tenant, SiteId site) {
        if (switches.containsKey(tenant)) {
            throw new IllegalStateException(tenant + " already has switches; give its first site before them");
        }
        initialOf.put(tenant, Objects.requireNonNull(site, "site"));
        return this;
    }

    /** {@code tenant} was placed on {@code to} at {@code at}; switches of a tenant are recorded in time order. */
    public SwitchTimeline switched(TenantId tenant, SiteId to, Instant at) {
        List<Switch> list = switches.computeIfAbsent(tenant, t -> new ArrayList<>());
        SiteId current = list.isEmpty() ? initialSite(tenant) : list.get(list.size() - 1).to();
        if (current.equals(to)) {
            throw new IllegalArgumentException(tenant + " is already on " + to);
        }
        if (!list.isEmpty() && !at.isAfter(list.get(list.size() - 1).at())) {
            throw new IllegalArgumentException(tenant + "'s switch to " + to + " at " + at
                    + " is not after its previous switch at " + list.get(list.size() - 1).at());
        }
        list.add(new Switch(to, at));
        return this;
    }

    public SiteId initialSite(TenantId tenant) {
        return initialOf.getOrDefault(tenant, initial);
    }

    public List<Switch> switches(TenantId tenant) {
        return List.copyOf(switches.getOrDefault(tenant, List.of()));
    }

    /** The tenant's periods on each site, in time order. */
    List<Period> periods(TenantId tenant) {
        List<Period> periods = new ArrayList<>();
        SiteId site = initialSite(tenant);
        Instant from = null;
        for (Switch s : switches(tenant)) {
            periods.add(new Period(site, from, s.at()));
            site = s.to();
            from = s.at();
        }
        periods.add(new Period(site, from, null));
        return periods;
    }
}
