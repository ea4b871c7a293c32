package dev.hikkoshi.data.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.data.connect.DatabaseException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads rows by key from both sides and compares them in Java by typed value: the last word before a row is
 * reported. Suspects from narrowing and rows re-checked after a repair go through it, so a hash collision, a
 * row that moved between chunks (keys ordered by different collations) or a value the servers print
 * differently never becomes a false report. Values: text and binary as bytes, DECIMAL by numeric value,
 * FLOAT/DOUBLE as IEEE doubles (-0.0 differs from 0.0), JSON as parsed documents, the rest as canonical text.
 */
final class RowComparer {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RowComparer.class);
    /**
     * Keys per statement: small enough for a 1 MB max_allowed_packet with long text keys, and within MariaDB's
     * {@code eq_range_index_dive_limit} (200), beyond which the key ranges are estimated from statistics and the
     * optimizer may read the tenant's whole index instead (1,000 keys a statement took 300 ms at 200,000 rows).
     */
    static final int KEYS_PER_STATEMENT = 200;

    /** Parsed only when a table has JSON columns: loading Jackson costs a cold JVM tens of milliseconds. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final String table;
    private final VerifySide sourceSide;
    private final VerifySide targetSide;
    private final TableSql source;
    private final TableSql target;
    private final ExecutorService sideQueries;

    /** {@code sideQueries} reads the source's rows while the caller reads the target's; its tasks never wait. */
    RowComparer(String table, VerifySide sourceSide, VerifySide targetSide, TableSql source, TableSql target,
                ExecutorService sideQueries) {
        this.table = table;
        this.sourceSide = sourceSide;
        this.targetSide = targetSide;
        this.source = source;
        this.target = target;
        this.sideQueries = sideQueries;
    }

    /** The differences among {@code keys}, sorted by key; equal rows and keys on neither side drop out. */
    List<RowDifference> compare(Collection<RowKey> keys) {
        List<RowKey> list = new ArrayList<>(keys);
        Future<Map<RowKey, Object[]>> onSource = sideQueries.submit(() -> read(sourceSide, source, list));
        Map<RowKey, Object[]> targetRows = read(targetSide, target, list);
        Map<RowKey, Object[]> sourceRows;
        try {
            sourceRows = onSource.get();
        } catch (InterruptedException e) {
            onSource.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading rows of " + table + " by key", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("reading rows of " + table + " by key failed: " + e.getCause(), e.getCause());
        }
        List<RowDifference> out = new ArrayList<>();
        for (RowKey key : list) {
            Object[] s = sourceRows.get(key);
            Object[] t = targetRows.get(key);
            if (s != null && t == null) {
                out.add(new RowDifference(table, RowDifference.Kind.MISSING, key, List.of()));
            } else if (s == null && t != null) {
                out.add(new RowDifference(table, RowDifference.Kind.EXTRA, key, List.of()));
            } else if (s != null) {
                List<String> changed = new ArrayList<>();
                List<CanonicalColumn> columns = source.columns();
                for (int i = 0; i < columns.size(); i++) {
                    if (!sameValue(columns.get(i).kind(), s[i], t[i])) {
                        changed.add(columns.get(i).name());
                    }
                }
                if (!changed.isEmpty()) {
                    out.add(new RowDifference(table, RowDifference.Kind.CHANGED, key, changed));
                }
            }
        }
        out.sort(null);
        return out;
    }

    private Map<RowKey, Object[]> read(VerifySide side, TableSql sql, List<RowKey> keys) {
        long started = System.nanoTime();
        Map<RowKey, Object[]> rows = new HashMap<>();
        long opened;
        try (Connection c = side.open()) {
            opened = System.nanoTime();
            for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
                List<RowKey> batch = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
                try (PreparedStatement ps = c.prepareStatement(sql.rowsByKeys(batch.size()))) {
                    sql.bindKeys(ps, batch);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.put(sql.readKey(rs), readValues(rs, sql.keySize() + 1, sql.columns()));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading " + keys.size() + " rows of " + table + " by key", side.description(), e);
        }
        log.debug("read {} rows of {} by key from {} in {} ms ({} ms to open the connection)", rows.size(), table,
                side.description(), (System.nanoTime() - started) / 1_000_000, (opened - started) / 1_000_000);
        return rows;
    }

    /** Reads {@code columns}' values starting at result column {@code first}. */
    static Object[] readValues(ResultSet rs, int first, List<CanonicalColumn> columns) throws SQLException {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = readValue(rs, first + i, columns.get(i).kind());
        }
        return values;
    }

    static Object readValue(ResultSet rs, int index, ColumnKind kind) throws SQLException {
        return switch (kind) {
            // Text as bytes: the servers converted it to utf8mb4 (or kept an override's raw bytes).
            case TEXT, LONG_TEXT, BINARY, BLOB, OTHER -> rs.getBytes(index);
            case DECIMAL -> rs.getBigDecimal(index);
            case INTEGER, BIT, YEAR, DATE, DATETIME, TIME, FLOATING, JSON -> rs.getString(index);
        };
    }

    static boolean sameValue(ColumnKind kind, Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        return switch (kind) {
            case TEXT, LONG_TEXT, BINARY, BLOB, OTHER -> Arrays.equals((byte[]) a, (byte[]) b);
            case DECIMAL -> ((BigDecimal) a).compareTo((BigDecimal) b) == 0;
            case FLOATING -> sameDouble((String) a, (String) b);
            case JSON -> sameJson((String) a, (String) b);
            case INTEGER, BIT, YEAR, DATE, DATETIME, TIME -> a.equals(b);
        };
    }

    /** Double.compare tells -0.0 from 0.0 (Java's == does not) and finds NaN equal to itself. */
    private static boolean sameDouble(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b)) == 0;
        } catch (NumberFormatException e) {
            return a.equals(b);
        }
    }

    /** Equal documents: key order and whitespace do not matter, numbers keep their type (1 differs from 1.0). */
    private static boolean sameJson(String a, String b) {
        try {
            return Objects.equals(Json.MAPPER.readTree(a), Json.MAPPER.readTree(b));
        } catch (JsonProcessingException e) {
            return a.equals(b);
        }
    }
}
