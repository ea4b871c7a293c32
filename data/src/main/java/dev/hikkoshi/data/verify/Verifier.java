package dev.hikkoshi.data.verify;

import dev.hikkoshi.data.connect.DatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Proves the target's rows equal to the source's, table by table and chunk by chunk, with checksums the
 * servers compute (see {@link TableSql#checksum}); differing chunks are narrowed down to rows, which are
 * compared in Java before they are reported by key. Used by {@code hikkoshi data verify}, its {@code --repair}
 * and the demo.
 *
 * <p>Concurrency: one coordinating thread (the caller's) walks each table's keys on the source to cut chunks;
 * {@code parallelChunks} workers verify chunks of every table at once, and each chunk's statements run on both
 * servers at the same time on a second pool, whose tasks never wait on other tasks (so the pools cannot
 * deadlock). The first failure cancels the rest and is thrown to the caller.
 */
public final class Verifier {
    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

    /** How the work is cut: rows per chunk and chunks verified at once. */
    public record Options(int chunkRows, int parallelChunks) {
        public Options {
            if (chunkRows < 1 || parallelChunks < 1) {
                throw new IllegalArgumentException("chunkRows and parallelChunks must be positive: " + chunkRows + ", " + parallelChunks);
            }
        }

        /** 5,000 rows a chunk (a few milliseconds of server work) and 4 chunks at once. */
        public static Options defaults() {
            return new Options(5_000, 4);
        }
    }

    private final VerifySide source;
    private final VerifySide target;
    private final Options options;

    public Verifier(VerifySide source, VerifySide target, Options options) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The rows of a chunk this verifier walks the keys for. */
    public int chunkRows() {
        return options.chunkRows();
    }

    /** The side verified against: the source. */
    public VerifySide source() {
        return source;
    }

    /** Verifies every table; returns when all chunks are compared. */
    public VerifyReport verify(List<TableToVerify> tables) {
        return verify(tables, differences -> { });
    }

    /**
     * As {@link #verify(List)}, handing each chunk's differences to {@code found} (on the caller's thread, in table
     * and key order) as soon as that chunk and every chunk before it are compared: a differential pass's stream
     * repairs them while the later chunks are still being compared. An exception {@code found} throws ends the
     * verification.
     */
    public VerifyReport verify(List<TableToVerify> tables, Consumer<List<RowDifference>> found) {
        return verify(tables, ChunkPlan.walk(), chunk -> {
            if (!chunk.differences().isEmpty()) {
                found.accept(chunk.differences());
            }
        });
    }

    /**
     * Verifies every table in the chunks of {@code plan} (a table it plans nothing for is walked), handing every
     * chunk to {@code compared} (on the caller's thread, in table and key order) as soon as it and every chunk
     * before it are compared. An exception {@code compared} throws ends the verification.
     */
    public VerifyReport verify(List<TableToVerify> tables, ChunkPlan plan, Consumer<ComparedChunk> compared) {
        long started = System.nanoTime();
        ExecutorService sideQueries = Executors.newFixedThreadPool(2 * options.parallelChunks(), threads("hikkoshi-verify-sql"));
        ExecutorService chunks = Executors.newFixedThreadPool(options.parallelChunks(), threads("hikkoshi-verify-chunk"));
        Map<TableVerifier, List<Pending>> work = new LinkedHashMap<>();
        try {
            try (Connection walker = source.open()) {
                for (TableToVerify table : tables) {
                    TableVerifier verifier = new TableVerifier(table, source, target, sideQueries);
                    List<Pending> pending = new ArrayList<>();
                    work.put(verifier, pending);
                    List<Integer> planned = plan.entriesOf(table.name());
                    if (planned.isEmpty()) {
                        walk(verifier, walker, KeyRange.all(), -1, chunks, pending);
                    }
                    for (int e : planned) {
                        ChunkPlan.Entry entry = plan.entries().get(e);
                        if (entry.split()) {
                            walk(verifier, walker, entry.range(), e, chunks, pending);
                        } else {
                            pending.add(new Pending(entry.range(), e, chunks.submit(() -> verifier.verifyChunk(entry.range()))));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new DatabaseException("opening a connection to walk the tables' keys", source.description(), e);
            }
            List<TableReport> reports = new ArrayList<>();
            for (Map.Entry<TableVerifier, List<Pending>> e : work.entrySet()) {
                reports.add(collect(e.getKey().name(), e.getValue(), compared));
            }
            VerifyReport report = new VerifyReport(reports, Duration.ofNanos(System.nanoTime() - started));
            log.info("verified {} against {}: {}", target.description(), source.description(), report.summary());
            return report;
        } finally {
            chunks.shutdownNow();
            sideQueries.shutdownNow();
        }
    }

    /** A chunk submitted for comparison, with its range and plan entry. */
    private record Pending(KeyRange range, int planned, Future<TableVerifier.ChunkResult> result) {
    }

    /** Cuts {@code within} into chunks of the configured rows by walking its source keys, submitting each as found. */
    private void walk(TableVerifier verifier, Connection walker, KeyRange within, int planned, ExecutorService chunks,
                      List<Pending> pending) {
        Optional<RowKey> lower = within.lower();
        while (true) {
            Optional<RowKey> upper = verifier.nextBoundary(walker, new KeyRange(lower, within.upper()), options.chunkRows());
            boolean last = upper.isEmpty() || upper.equals(within.upper());
            KeyRange range = new KeyRange(lower, last ? within.upper() : upper);
            pending.add(new Pending(range, planned, chunks.submit(() -> verifier.verifyChunk(range))));
            if (last) {
                return;
            }
            lower = upper;
        }
    }

    /**
     * Compares the rows with the given keys of one table in Java, without checksums: after a repair, to show that
     * exactly those rows are now equal.
     */
    public List<RowDifference> recheck(TableToVerify table, Collection<RowKey> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        ExecutorService none = Executors.newSingleThreadExecutor(threads("hikkoshi-verify-recheck"));
        try {
            return new TableVerifier(table, source, target, none).comparer().compare(keys);
        } finally {
            none.shutdownNow();
        }
    }

    private static TableReport collect(String table, List<Pending> pending, Consumer<ComparedChunk> compared) {
        long sourceRows = 0;
        long targetRows = 0;
        int mismatched = 0;
        int byRowHashes = 0;
        List<RowDifference> differences = new ArrayList<>();
        for (Pending p : pending) {
            TableVerifier.ChunkResult r = result(p.result());
            sourceRows += r.sourceRows();
            targetRows += r.targetRows();
            mismatched += r.checksumsDiffered() ? 1 : 0;
            byRowHashes += r.byRowHashes() ? 1 : 0;
            differences.addAll(r.differences());
            compared.accept(new ComparedChunk(table, p.range(), p.planned(), r.started(), r.sourceRows(), r.targetRows(),
                    r.differences()));
        }
        log.debug("table {}: {} of {} chunks compared by row hashes without checksums", table, byRowHashes, pending.size());
        differences.sort(null);
        TableReport report = new TableReport(table, sourceRows, targetRows, pending.size(), mismatched, differences);
        log.info("verified table {}", report.describe());
        return report;
    }

    private static <T> T result(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof ExecutionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("verification failed: " + cause, cause);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return r -> {
            Thread t = new Thread(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                MDC.put("component", "verify");
                r.run();
            }, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
