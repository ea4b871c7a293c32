package dev.hikkoshi.data.config;

import java.util.Objects;

/** A database password read from the environment; {@link #toString()} hides it so that it never reaches a log. */
public record Password(String value) {
    public Password {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "(hidden)";
    }
}
