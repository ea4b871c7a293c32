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
 * Turns the routers' per tenant and site traffic into {@code http-5xx} evaluations: firing when the tenant's
 * 5xx share on that site in the window is above the threshold, with the window's 5xx count as the event count;
 * a window with fewer than {@code minRequests} requests is judged resolved (too little to say), never firing.
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
        for (Map.Entry<TrafficKey, TrafficStats> e : traffic.window(window).stats().entrySet()) {
            TrafficStats s = e.getValue();
            boolean firing = s.requests() >= settings.minRequests() && s.errorRate() * 100 > settings.errorRatePercent();
            Labels labels = Labels.of(Labels.CHECK, "http-5xx", Labels.SEVERITY, "warning", Labels.TENANT,
                    e.getKey().tenant(), Labels.SITE, e.getKey().site().value());
            out.add(new Event(now, labels, firing ? AlertStatus.FIRING : AlertStatus.RESOLVED,
                    firing ? Math.max(1, s.serverErrors()) : 1));
        }
        return out;
    }
}
