package dev.hikkoshi.data.verify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One chunk as a verification compared it: its table and key range, the entry of the {@link ChunkPlan} it came
 * from ({@code -1} when its bounds were walked afresh), the instant its comparison began (every change committed on
 * the source before it is in what the chunk compared), the rows on each side, and the rows found different.
 */
public record ComparedChunk(String table, KeyRange range, int planned, Instant started, long sourceRows,
                            long targetRows, List<RowDifference> differences) {
    public ComparedChunk {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(started, "started");
        differences = List.copyOf(differences);
    }

    /** The larger of the two sides' row counts: what the next plan sizes the chunk by. */
    long rows() {
        return Math.max(sourceRows, targetRows);
    }
}
