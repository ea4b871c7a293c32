package dev.hikkoshi.data.verify;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** The result of one verification: a report per table and the time it took. Printed by {@code hikkoshi data verify}. */
public record VerifyReport(List<TableReport> tables, Duration elapsed) {
    public VerifyReport {
        tables = List.copyOf(tables);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public boolean equal() {
        return tables.stream().allMatch(TableReport::equal);
    }

    /** Every differing row of every table, in table and key order. */
    public List<RowDifference> differences() {
        return tables.stream().flatMap(t -> t.differences().stream()).toList();
    }

    public long sourceRows() {
        return tables.stream().mapToLong(TableReport::sourceRows).sum();
    }

    public long targetRows() {
        return tables.stream().mapToLong(TableReport::targetRows).sum();
    }

    /** {@code 3 differences in 2 tables (2,000 source rows) in 0.4 s}. */
    public String summary() {
        int n = differences().size();
        return String.format(java.util.Locale.ROOT, "%s in %d table%s (%,d rows on the source, %,d on the target) in %.1f s",
                n == 0 ? "no differences" : n + " difference" + (n == 1 ? "" : "s"), tables.size(),
                tables.size() == 1 ? "" : "s", sourceRows(), targetRows(), elapsed.toMillis() / 1000.0);
    }
}
