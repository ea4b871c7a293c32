package dev.hikkoshi.data.verify;

import java.util.List;
import java.util.Objects;

/**
 * What verification found in one table: rows in scope on each side, chunks compared, how many of them the
 * servers' checksums disagreed on, and the differing rows by key (sorted).
 */
public record TableReport(String table, long sourceRows, long targetRows, int chunks, int mismatchedChunks,
                          List<RowDifference> differences) {
    public TableReport {
        Objects.requireNonNull(table, "table");
        differences = List.copyOf(differences);
    }

    public boolean equal() {
        return differences.isEmpty();
    }

    /** {@code orders: 1,000 rows on the source, 999 on the target, 1 chunk, 3 differences}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s: %,d row%s on the source, %,d on the target, %,d chunk%s, %s",
                table, sourceRows, sourceRows == 1 ? "" : "s", targetRows, chunks, chunks == 1 ? "" : "s",
                differences.isEmpty() ? "equal" : differences.size() + " difference" + (differences.size() == 1 ? "" : "s"));
    }
}
