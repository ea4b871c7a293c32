package dev.hikkoshi.watch.alert.group;

import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.audit.SuppressionReason;
import java.time.Instant;
import java.util.Optional;

/** Decides at flush time whether a firing alert is muted (held for a freeze, silenced, inhibited) and why. */
@FunctionalInterface
public interface Mute {
    /** Why the alert must not be shown now, or empty. */
    Optional<Reason> check(Labels alert, Instant now);

    /** A mute and its human explanation. */
    record Reason(SuppressionReason reason, String detail) {
    }
}
