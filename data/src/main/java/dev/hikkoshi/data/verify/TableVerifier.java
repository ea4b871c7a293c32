package dev.hikkoshi.data.verify;

import dev.hikkoshi.data.connect.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Verifies the chunks of one table. {@link Verifier} walks the source's keys to cut chunks
 * ({@link #nextBoundary}) and runs {@link #verifyChunk} for each on its pool; each chunk's statements run on
 * both servers at once (on {@code sideQueries}).
 *
 * <p>Narrowing: when the two checksums of a chunk differ, both sides list the chunk's keys with each row's
 * hash; keys whose hash differs or that one side lacks are suspects. Tables with FLOAT, DOUBLE or JSON
 * columns also read those values of every chunk on both sides and add the keys whose values differ. Suspects
 * are then read in full by key from both sides and compared in Java ({@link RowComparer}) before anything is
 * reported. While at least half of a table's chunks checked so far have differed, the next chunk goes straight
 * to the row hashes ({@link #byRowHashes}); the row hashes of a table keyed by one integer column are compared
 * as longs ({@link RowHashes}).
 */
final class TableVerifier {

    /** What one chunk found. */
    record ChunkResult(Instant started, long sourceRows, long targetRows, boolean checksumsDiffered,
                       boolean byRowHashes, List<RowDifference> differences) {
    }

    private final TableToVerify table;
    private final VerifySide sourceSide;
    private final VerifySide targetSide;
    private final TableSql source;
    private final TableSql target;
    private final RowComparer comparer;
    private final ExecutorService sideQueries;
    /** Chunks checked, and how many differed: while at least half have differed, the next skips its checksums. */
    private final AtomicInteger chunksSeen = new AtomicInteger();
    private final AtomicInteger chunksDiffered = new AtomicInteger();

    TableVerifier(TableToVerify table, VerifySide sourceSide, VerifySide targetSide, ExecutorService sideQueries) {
        this.table = Objects.requireNonNull(table, "table");
        this.sourceSide = sourceSide;
        this.targetSide = targetSide;
        List<CanonicalColumn> columns = table.columns(sourceSide.server().supportsUtf8mb4(),
                targetSide.server().supportsUtf8mb4());
        this.source = new TableSql(sourceSide, table, columns, true);
        this.target = new TableSql(targetSide, table, columns, false);
        this.comparer = new RowComparer(table.name(), sourceSide, targetSide, source, target, sideQueries);
        this.sideQueries = sideQueries;
    }

    String name() {
        return table.name();
    }

    RowComparer comparer() {
        return comparer;
    }

    /**
     * The source key {@code rows} rows after {@code from}'s lower bound and within its upper one (the next chunk's
     * upper bound), or empty when fewer rows are left in it.
     */
    Optional<RowKey> nextBoundary(Connection sourceConnection, KeyRange from, int rows) {
        Optional<RowKey> lower = from.lower();
        try (PreparedStatement ps = sourceConnection.prepareStatement(source.boundary(from, rows - 1))) {
            source.bind(ps, from);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(source.readKey(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException("finding the chunks of table " + table.name() + " after key "
                    + lower.map(RowKey::display).orElse("(first)"), sourceSide.description(), e);
        }
    }

    ChunkResult verifyChunk(KeyRange range) throws Exception {
        // Taken before any statement runs: every change the source committed before it is in what they read.
        Instant started = Instant.now();
        ChunkResult result = straightToRowHashes(chunksSeen.get(), chunksDiffered.get()) ? byRowHashes(started, range)
                : byChecksums(started, range);
        chunksSeen.incrementAndGet();
        if (result.checksumsDiffered()) {
            chunksDiffered.incrementAndGet();
        }
        return result;
    }

    /** Whether the next chunk skips its checksums, after {@code seen} chunks of which {@code differed} differed. */
    static boolean straightToRowHashes(int seen, int differed) {
        return seen > 0 && 2 * differed >= seen;
    }

    /**
     * Without the checksums: when at least half the chunks of a table checked so far differed (a catch-up after
     * scattered changes: 2,400 changed rows of 200,000 leave hardly a 5,000-row chunk equal), a checksum would
     * only add a second hashing of every row before the row hashes are read anyway. Guessing wrong is cheap this
     * way round: listing an equal chunk's row hashes costs the servers about a third more than its checksum,
     * while a differing chunk checksummed first costs them twice.
     */
    private ChunkResult byRowHashes(Instant started, KeyRange range) throws Exception {
        List<RowHashes> hashes = both(() -> rowHashes(sourceSide, source, range),
                () -> rowHashes(targetSide, target, range));
        Set<RowKey> suspects = RowHashes.differing(hashes.get(0), hashes.get(1));
        boolean differed = !suspects.isEmpty();
        if (source.hasJavaColumns()) {
            suspects.addAll(differing(both(() -> javaValues(sourceSide, source, range), () -> javaValues(targetSide, target, range))));
        }
        List<RowDifference> differences = suspects.isEmpty() ? List.of() : comparer.compare(suspects);
        return new ChunkResult(started, hashes.get(0).size(), hashes.get(1).size(), differed, true, differences);
    }

    private ChunkResult byChecksums(Instant started, KeyRange range) throws Exception {
        Future<ChunkChecksum> s = sideQueries.submit(() -> checksum(sourceSide, source, range));
        Future<ChunkChecksum> t = sideQueries.submit(() -> checksum(targetSide, target, range));
        ChunkChecksum sc = s.get();
        ChunkChecksum tc = t.get();
        Set<RowKey> suspects = new LinkedHashSet<>();
        boolean differed = !sc.equals(tc);
        if (differed) {
            List<RowHashes> hashes = both(() -> rowHashes(sourceSide, source, range), () -> rowHashes(targetSide, target, range));
            suspects.addAll(RowHashes.differing(hashes.get(0), hashes.get(1)));
        }
        if (source.hasJavaColumns()) {
            suspects.addAll(differing(both(() -> javaValues(sourceSide, source, range), () -> javaValues(targetSide, target, range))));
        }
        List<RowDifference> differences = suspects.isEmpty() ? List.of() : comparer.compare(suspects);
        return new ChunkResult(started, sc.rows(), tc.rows(), differed, false, differences);
    }

    private <T> List<T> both(Callable<T> onSource, Callable<T> onTarget) throws Exception {
        Future<T> s = sideQueries.submit(onSource);
        Future<T> t = sideQueries.submit(onTarget);
        return List.of(s.get(), t.get());
    }

    /** Keys on one side only, or with different values. */
    private static <V> Set<RowKey> differing(List<Map<RowKey, V>> sides) {
        Map<RowKey, V> s = sides.get(0);
        Map<RowKey, V> t = sides.get(1);
        Set<RowKey> out = new LinkedHashSet<>();
        s.forEach((key, value) -> {
            if (!t.containsKey(key) || !Objects.deepEquals(value, t.get(key))) {
                out.add(key);
            }
        });
        t.keySet().stream().filter(key -> !s.containsKey(key)).forEach(out::add);
        return out;
    }

    private ChunkChecksum checksum(VerifySide side, TableSql sql, KeyRange range) {
        try (Connection c = side.open(); PreparedStatement ps = c.prepareStatement(sql.checksum(range))) {
            sql.bind(ps, range);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ChunkChecksum(rs.getLong(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new DatabaseException("checksumming " + table.name() + " rows " + range, side.description(), e);
        }
    }

    private RowHashes rowHashes(VerifySide side, TableSql sql, KeyRange range) {
        try (Connection c = side.open(); PreparedStatement ps = c.prepareStatement(sql.rowHashes(range))) {
            sql.bind(ps, range);
            try (ResultSet rs = ps.executeQuery()) {
                return RowHashes.read(rs, sql);
            }
        } catch (SQLException e) {
            throw new DatabaseException("hashing " + table.name() + " rows " + range, side.description(), e);
        }
    }

    /** FLOAT, DOUBLE and JSON values per key, wrapped so that equal values compare equal in {@link #differing}. */
    private Map<RowKey, List<JavaValue>> javaValues(VerifySide side, TableSql sql, KeyRange range) {
        Map<RowKey, List<JavaValue>> out = new HashMap<>();
        List<CanonicalColumn> columns = sql.javaColumns();
        try (Connection c = side.open(); PreparedStatement ps = c.prepareStatement(sql.javaValues(range))) {
            sql.bind(ps, range);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] values = RowComparer.readValues(rs, sql.keySize() + 1, columns);
                    List<JavaValue> row = new java.util.ArrayList<>(values.length);
                    for (int i = 0; i < values.length; i++) {
                        row.add(new JavaValue(columns.get(i).kind(), values[i]));
                    }
                    out.put(sql.readKey(rs), row);
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading FLOAT, DOUBLE and JSON values of " + table.name() + " rows " + range,
                    side.description(), e);
        }
        return out;
    }

    /** A value compared the way {@link RowComparer#sameValue} does. */
    private record JavaValue(ColumnKind kind, Object value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof JavaValue other && kind == other.kind && RowComparer.sameValue(kind, value, other.value);
        }

        @Override
        public int hashCode() {
            return kind.hashCode();
        }
    }
}
