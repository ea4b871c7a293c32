package dev.hikkoshi.data.schema;

import java.util.Objects;

/**
 * A trigger on a {@link Table}: {@code timing} BEFORE or AFTER, {@code event} INSERT, UPDATE or DELETE. Target
 * triggers fire on every row hikkoshi writes, so the scope check asks the operator about them; part 2 installs
 * its own capture triggers on sources.
 */
public record Trigger(String name, String timing, String event, String statement) {
    public Trigger {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(statement, "statement");
    }
}
