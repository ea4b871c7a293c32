package dev.hikkoshi.data.trigger;

import dev.hikkoshi.data.capture.ChangeKind;

/** The three row events the capture triggers fire on (always AFTER, so a failed statement records nothing). */
enum TriggerEvent {
    INSERT, UPDATE, DELETE;

    char letter() {
        return switch (this) {
            case INSERT -> 'i';
            case UPDATE -> 'u';
            case DELETE -> 'd';
        };
    }

    /** The change-log's {@code kind} column. */
    String kind() {
        return switch (this) {
            case INSERT -> "I";
            case UPDATE -> "U";
            case DELETE -> "D";
        };
    }

    ChangeKind changeKind() {
        return switch (this) {
            case INSERT -> ChangeKind.INSERT;
            case UPDATE -> ChangeKind.UPDATE;
            case DELETE -> ChangeKind.DELETE;
        };
    }

    static TriggerEvent ofKind(String kind) {
        return switch (kind) {
            case "I" -> INSERT;
            case "U" -> UPDATE;
            case "D" -> DELETE;
            default -> throw new IllegalArgumentException("not a change-log kind: " + kind);
        };
    }
}
