package dev.hikkoshi.watch.signal;

import dev.hikkoshi.core.config.ConfigNode;
import java.time.Duration;

/**
 * Binds {@code alerts.signals} (every key optional):
 * {@code { lag-warning: 10s, lag-critical: 60s, move-stuck: 30m, error-rate: 5%, min-requests: 20, p99: 1s,
 * site-error-rate: 50%, interval: 5s }},
 * recording each problem as {@code path: value (expected: ...)}.
 */
public final class SignalsSection {
    /** The thresholds and how often the polled sources are evaluated. */
    public record Bound(SignalSettings settings, Duration interval) {
    }

    private SignalsSection() {
    }

    public static Bound bind(ConfigNode node) {
        SignalSettings d = SignalSettings.DEFAULTS;
        if (!node.isPresent()) {
            return new Bound(d, Duration.ofSeconds(5));
        }
        node.allowOnly("lag-warning", "lag-critical", "move-stuck", "error-rate", "min-requests", "p99",
                "site-error-rate", "interval");
        Duration warning = node.get("lag-warning").duration(d.lagWarning(), Duration.ofMillis(100));
        Duration critical = node.get("lag-critical").duration(d.lagCritical(), Duration.ofMillis(100));
        if (warning.compareTo(critical) > 0) {
            node.get("lag-warning").problem("at most lag-critical (" + critical.toSeconds() + "s)");
            warning = critical;
        }
        Duration stuck = node.get("move-stuck").duration(d.moveStuck(), Duration.ofSeconds(1));
        double errorRate = percent(node.get("error-rate"), d.errorRatePercent());
        long minRequests = node.get("min-requests").integer(d.minRequests(), 1, 1_000_000);
        Duration p99 = node.get("p99").duration(d.p99(), Duration.ofMillis(1));
        double siteErrors = percent(node.get("site-error-rate"), d.siteErrorPercent());
        Duration interval = node.get("interval").duration(Duration.ofSeconds(5), Duration.ofMillis(100));
        return new Bound(new SignalSettings(warning, critical, stuck, errorRate, minRequests, p99, siteErrors), interval);
    }

    private static double percent(ConfigNode node, double defaultValue) {
        String text = node.text().orElse(null);
        if (text == null) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(text.trim().replaceFirst("%$", "").trim());
            if (value > 0 && value <= 100) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        node.problem("a percentage above 0 and at most 100, such as 5%");
        return defaultValue;
    }
}
