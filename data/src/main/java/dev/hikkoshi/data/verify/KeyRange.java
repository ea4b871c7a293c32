package dev.hikkoshi.data.verify;

import java.util.Optional;

/**
 * A chunk of a table: the rows whose key is above {@code lower} (exclusive) and at most {@code upper}
 * (inclusive); an absent bound is open, so the first and last chunks also catch target rows the source does
 * not have. Bounds are keys of source rows.
 */
public record KeyRange(Optional<RowKey> lower, Optional<RowKey> upper) {
    public static KeyRange all() {
        return new KeyRange(Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return lower.map(RowKey::display).orElse("(first)") + " < key <= " + upper.map(RowKey::display).orElse("(last)");
    }
}
