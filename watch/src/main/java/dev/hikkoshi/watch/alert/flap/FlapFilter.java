package dev.hikkoshi.watch.alert.flap;

import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import java.util.HashMap;
import java.util.Map;

/**
 * The flapping stage: turns each alert's raw evaluations into state changes that have held long enough. Keeps
 * the last {@code of} evaluations of each alert as a bit window. Used only by the pipeline's single thread.
 */
public final class FlapFilter {
    /** What one evaluation means after filtering. */
    public enum Verdict {
        /** The alert is (still) active: pass the evaluation on. */
        ACTIVE,
        /** The alert just cleared: pass a resolution on. */
        CLEARED,
        /** Not enough history yet to fire, or to clear: hold it back. */
        HELD,
        /** A resolved evaluation of an alert that is not active: nothing to do. */
        IDLE
    }

    private final FlapSettings settings;
    private final Map<Labels, History> histories = new HashMap<>();

    public FlapFilter(FlapSettings settings) {
        this.settings = settings;
    }

    /**
     * Records one evaluation. {@code eager} (the tenant is baking) fires on the first firing evaluation, because
     * thresholds tighten while a move is judged.
     */
    public Verdict evaluate(Labels alert, AlertStatus status, boolean eager) {
        History h = histories.computeIfAbsent(alert, k -> new History());
        boolean firing = status == AlertStatus.FIRING;
        h.bits = ((h.bits << 1) | (firing ? 1 : 0)) & mask();
        h.resolvedRun = firing ? 0 : h.resolvedRun + 1;
        if (firing) {
            if (h.active || eager || Long.bitCount(h.bits) >= settings.fire()) {
                h.active = true;
                return Verdict.ACTIVE;
            }
            return Verdict.HELD;
        }
        if (!h.active) {
            if (h.bits == 0) {
                histories.remove(alert);
            }
            return Verdict.IDLE;
        }
        if (h.resolvedRun >= settings.clearAfter()) {
            histories.remove(alert);
            return Verdict.CLEARED;
        }
        return Verdict.HELD;
    }

    private long mask() {
        return settings.of() == 64 ? -1L : (1L << settings.of()) - 1;
    }

    private static final class History {
        long bits;
        int resolvedRun;
        boolean active;
    }
}
