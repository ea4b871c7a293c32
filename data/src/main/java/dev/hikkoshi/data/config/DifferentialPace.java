package dev.hikkoshi.data.config;

import dev.hikkoshi.core.config.ConfigNode;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code sites.NAME.database.differential}: how often a checksum differential capture compares a tenant when this
 * site is its source. After a pass that found nothing, the next begins after a tenth of the time the tenant has
 * been at rest, never sooner than {@code minimumPause} nor later than {@code passInterval}; each pass checksums
 * every row of the tenant on both servers, so these two bound the load on a legacy source against how soon a
 * change is carried. The differential capture turns it into its {@code Options}.
 */
public record DifferentialPace(Duration passInterval, Duration minimumPause) {
    /** Every key {@code differential} accepts. */
    static final String[] KEYS = {"pass-interval", "minimum-pause"};

    public DifferentialPace {
        Objects.requireNonNull(passInterval, "passInterval");
        Objects.requireNonNull(minimumPause, "minimumPause");
        if (minimumPause.compareTo(passInterval) > 0) {
            throw new IllegalArgumentException("minimumPause " + minimumPause + " is longer than passInterval " + passInterval);
        }
    }

    /** 100 ms right after changes, growing to 1 s for a tenant at rest. */
    public static DifferentialPace defaults() {
        return new DifferentialPace(Duration.ofSeconds(1), Duration.ofMillis(100));
    }

    static DifferentialPace bind(ConfigNode node) {
        if (!node.isPresent()) {
            return defaults();
        }
        if (!node.isMap()) {
            node.problem("a map of differential capture settings: " + String.join(", ", KEYS));
            return defaults();
        }
        node.allowOnly(KEYS);
        DifferentialPace d = defaults();
        Duration interval = node.get("pass-interval").duration(d.passInterval(), Duration.ofMillis(10));
        ConfigNode pauseNode = node.get("minimum-pause");
        Duration pause = pauseNode.duration(interval.compareTo(d.minimumPause()) < 0 ? interval : d.minimumPause(),
                Duration.ofMillis(10));
        if (pause.compareTo(interval) > 0) {
            pauseNode.problem("a duration at most pass-interval (" + interval.toMillis() + "ms)");
            pause = interval;
        }
        return new DifferentialPace(interval, pause);
    }
}
