package dev.hikkoshi.data.verify;

import dev.hikkoshi.data.schema.Column;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies rows of a stream's dirty set (the keys it changed since they were last verified) by key, comparing
 * each row of both sides in Java ({@link Verifier#recheck}), and times it: the final verification of a move,
 * whose cost grows with recent changes, not with the tenant's size. Used by {@code hikkoshi data sync
 * --verify-dirty} (and so {@code bench/sync.sh}).
 */
public final class DirtyRowCheck {
    /** What a check compared and found, and how long it took. */
    public record Result(int rows, List<RowDifference> differences, Duration took) {
        public Result {
            differences = List.copyOf(differences);
        }
    }

    private DirtyRowCheck() {
    }

    /**
     * Compares at most {@code limit} of {@code dirty}'s keys (by table name, in the copy's key form), table by
     * table in {@code tables}' order; tables without dirty keys cost nothing.
     */
    public static Result verify(Verifier verifier, List<TableToVerify> tables,
                                Map<String, Set<dev.hikkoshi.data.copy.RowKey>> dirty, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        Map<TableToVerify, List<RowKey>> chosen = new LinkedHashMap<>();
        int rows = 0;
        for (TableToVerify table : tables) {
            for (Map.Entry<String, Set<dev.hikkoshi.data.copy.RowKey>> e : dirty.entrySet()) {
                if (!e.getKey().equalsIgnoreCase(table.name())) {
                    continue;
                }
                for (dev.hikkoshi.data.copy.RowKey key : e.getValue()) {
                    if (rows == limit) {
                        break;
                    }
                    chosen.computeIfAbsent(table, t -> new ArrayList<>()).add(verifyKey(table, key));
                    rows++;
                }
            }
        }
        long started = System.nanoTime();
        List<RowDifference> differences = new ArrayList<>();
        chosen.forEach((table, keys) -> differences.addAll(verifier.recheck(table, keys)));
        return new Result(rows, differences, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Verification's form of a key: the inverse of {@link RowRepairer#copyKey}. */
    static RowKey verifyKey(TableToVerify table, dev.hikkoshi.data.copy.RowKey key) {
        List<String> values = new ArrayList<>();
        List<String> columns = table.key().columns();
        for (int i = 0; i < columns.size(); i++) {
            Column column = table.source().column(columns.get(i)).orElseThrow();
            byte[] value = key.value(i);
            if (ColumnKind.of(column).binary()) {
                values.add("0x" + HexFormat.of().formatHex(value));
            } else if (column.textual()) {
                String charset = table.sourceCharsetOverrides().entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase(column.name())).map(Map.Entry::getValue).findFirst()
                        .or(column::charset).orElse("utf8mb4");
                values.add(new String(value, RowRepairer.javaCharset(charset)));
            } else {
                values.add(new String(value, StandardCharsets.US_ASCII));
            }
        }
        return new RowKey(values);
    }
}
