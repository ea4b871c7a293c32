package dev.hikkoshi.watch.alert.group;

import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import java.time.Instant;

/**
 * One alert inside a group, deduplicated: every event with the same labels adds its count here instead of
 * becoming an alert of its own. Mutable, owned by its {@link AlertGroup} on the pipeline's single thread.
 */
final class TrackedAlert {
    final Labels labels;
    final Instant firstSeen;
    AlertStatus status = AlertStatus.FIRING;
    long events;
    /** Named as firing in a message sent to the receiver: its resolution must be sent too. */
    boolean notified;
    /** Something the receiver has not been told yet (new, more events, resolved). */
    boolean changed = true;
    /** The last mute reported to the audit log, so that a muted alert is logged once per reason, not per tick. */
    String lastMute;

    TrackedAlert(Labels labels, Instant firstSeen) {
        this.labels = labels;
        this.firstSeen = firstSeen;
    }
}
