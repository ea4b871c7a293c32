package dev.hikkoshi.watch.signal;

import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficStats;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.PipelineInput.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the routers' per tenant and site traffic into evaluations: {@code http-5xx} when the tenant's 5xx share
 * on that site is above the threshold (the window's 5xx count as the event count), {@code http-latency} when
 * its p99 is above the threshold, and per site {@code site-errors} (critical) when the whole site's 5xx share,
 * over all tenants, says the site itself is failing: its upstreams down or ejected, which the router answers
 * with 502/503/504. An inhibition rule can then keep the site's per-tenant {@code http-5xx} quiet. A window
 * with fewer than {@code minRequests} requests is judged resolved (too little to say), never firing.
 */
public final class TrafficSignals {
    private final TrafficWindow traffic;
    private final SignalSettings settings;
    private final Duration window;

    public TrafficSignals(TrafficWindow traffic, SignalSettings settings, Duration window) {
        this.traffic = traffic;
        this.settings = settings;
        this.window = window;
    }

    public List<Event> evaluate(Instant now) {
        List<Event> out = new ArrayList<>();
        Map<String, TrafficStats> bySite = new java.util.TreeMap<>();
        for (Map.Entry<TrafficKey, TrafficStats> e : traffic.window(window).stats().entrySet()) {
            TrafficStats s = e.getValue();
            String site = e.getKey().site().value();
            bySite.merge(site, s, TrafficStats::merge);
            boolean enough = s.requests() >= settings.minRequests();
            boolean errors = enough && s.errorRate() * 100 > settings.errorRatePercent();
            out.add(event(now, Labels.of(Labels.CHECK, "http-5xx", Labels.SEVERITY, "warning", Labels.TENANT,
                    e.getKey().tenant(), Labels.SITE, site), errors, s.serverErrors()));
            boolean slow = enough && s.latency().quantile(0.99).map(p -> p.compareTo(settings.p99()) > 0).orElse(false);
            out.add(event(now, Labels.of(Labels.CHECK, "http-latency", Labels.SEVERITY, "warning", Labels.TENANT,
                    e.getKey().tenant(), Labels.SITE, site), slow, 1));
        }
        bySite.forEach((site, s) -> out.add(event(now, Labels.of(Labels.CHECK, "site-errors", Labels.SEVERITY,
                "critical", Labels.SITE, site), s.requests() >= settings.minRequests()
                && s.errorRate() * 100 > settings.siteErrorPercent(), s.serverErrors())));
        return out;
    }

    private static Event event(Instant now, Labels labels, boolean firing, long count) {
        return new Event(now, labels, firing ? AlertStatus.FIRING : AlertStatus.RESOLVED, firing ? Math.max(1, count) : 1);
    }
}
