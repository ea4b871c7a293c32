package dev.hikkoshi.data.config;

import java.util.Objects;

/** The databases a data command reads from ({@code source}) and writes to ({@code target}). */
public record SitePair(DatabaseConfig source, DatabaseConfig target) {
    public SitePair {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }
}
