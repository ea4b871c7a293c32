package dev.hikkoshi.data.copy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a finished copy did: rows written by this run per table (a resumed run counts only its own), rows in
 * the job's checkpoints in total, and the wall time of this run.
 */
public record CopyResult(Map<String, Long> rowsByTable, long totalRows, Duration elapsed) {
    public CopyResult {
        rowsByTable = Map.copyOf(rowsByTable);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public long rowsThisRun() {
        return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
