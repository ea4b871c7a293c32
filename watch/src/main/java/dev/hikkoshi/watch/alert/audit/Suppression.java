package dev.hikkoshi.watch.alert.audit;

import java.time.Instant;

/**
 * One line of the audit log: at {@code time} the pipeline held back {@code subject} (an alert's labels or a group)
 * for {@code receiver} ("-" before routing) because of {@code reason}; {@code detail} says what happens next.
 */
public record Suppression(Instant time, SuppressionReason reason, String subject, String receiver, String detail) {
    @Override
    public String toString() {
        return time + " " + dev.hikkoshi.core.config.ConfigNode.spelling(reason) + " " + receiver + " [" + subject
                + "] " + detail;
    }
}
