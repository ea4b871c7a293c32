package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.connect.DatabaseException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Bulk-copies a tenant's rows (or every row) of a list of tables from a source to a target database: plans
 * each table's key ranges (or resumes the ranges an earlier run checkpointed), then copies the ranges with a
 * bounded pool of workers, each range chunk by chunk through {@link ChunkCopier}. Used by
 * {@code hikkoshi data copy} and the cutover engine's COPYING state.
 *
 * <p>Concurrency: each worker owns one source and one target connection for a range, and a sender thread that
 * writes the range's rows (INSERTs or a LOAD DATA) while the worker reads the next ones (see {@link ChunkCopier}). Workers share only the
 * {@link CopyThrottle} (pause, load, rate cap) and their tables' {@link TableProgress}. The first failure of
 * any worker or of the load monitor stops the others and is thrown by {@link #run()}; nothing is half-written
 * because each chunk and its checkpoint commit together.
 *
 * <p>Chunk size: starts at {@code initialChunkRows}, then scales each range's next chunk towards
 * {@code chunkTarget} (at most halving or doubling at a step); a chunk that held its source locks longer than
 * {@code maxLockHold} halves the next one.
 */
public final class CopyJob {
    private static final Logger log = LoggerFactory.getLogger(CopyJob.class);
    private static final int MAX_ATTEMPTS = 5;

    private final CopyEndpoint source;
    private final CopyEndpoint target;
    private final List<CopyTable> tables;
    private final Optional<String> tenantId;
    private final String tenantName;
    private final CopySettings settings;
    private final CharsetOverrides overrides;
    private final CopyHooks hooks;
    private final CopyCheckpoints checkpoints;
    private final CopyThrottle throttle;
    private final AtomicReference<Throwable> monitorFailure = new AtomicReference<>();
    /** Decided by {@link #plan}, before the workers start. */
    private ChunkWrites writes;

    /**
     * {@code tenantId} is the tenant's database id bound into per-tenant tables' predicates, and
     * {@code tenantName} how logs and the checkpoint's job name call it ({@code *} for a whole-schema copy).
     */
    public CopyJob(CopyEndpoint source, CopyEndpoint target, List<CopyTable> tables, Optional<String> tenantId,
                   String tenantName, CopySettings settings, CharsetOverrides overrides, CopyHooks hooks) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.tables = List.copyOf(tables);
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        this.tenantName = Objects.requireNonNull(tenantName, "tenantName");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.checkpoints = new CopyCheckpoints(jobName(source.schema(), target.schema(), tenantName));
        this.throttle = new CopyThrottle(settings.maxRowsPerSecond());
    }

    /**
     * The checkpoint job name: {@code shop/acme}, or {@code shop/*} for every row; {@code legacy_shop>shop/acme}
     * when the schemas' names differ (a target server may receive several schemas, each its own job).
     */
    public static String jobName(String sourceSchema, String targetSchema, String tenantName) {
        return (sourceSchema.equals(targetSchema) ? sourceSchema : sourceSchema + ">" + targetSchema) + "/" + tenantName;
    }

    /** Pause and resume this copy while it runs. */
    public CopyThrottle throttle() {
        return throttle;
    }

    public CopyCheckpoints checkpoints() {
        return checkpoints;
    }

    /** Runs the copy to the end, resuming an earlier run's checkpoints; throws the first failure. */
    public CopyResult run() throws InterruptedException {
        long start = System.nanoTime();
        MDC.put("tenant", tenantName);
        MDC.put("phase", "copy");
        MDC.put("component", "data");
        try {
            List<Work> work = plan();
            List<TableProgress> progress = work.stream().map(Work::progress).distinct().toList();
            log.info("copying {} tables of {} from {} to {} ({} ranges to go, {} at once)", tables.size(),
                    checkpoints.job(), source.describe(), target.describe(),
                    work.stream().mapToLong(w -> w.ranges.stream().filter(r -> !r.done()).count()).sum(),
                    settings.parallelism());
            log.info("writing rows with {}", writes.describe(tables));
            runRanges(work, progress);
            Map<String, Long> rows = new LinkedHashMap<>();
            long total = 0;
            for (TableProgress p : progress) {
                rows.put(p.table(), p.copiedNow());
                total += p.copied();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            log.info("copied {} rows of {} in {} ms", String.format(Locale.ROOT, "%,d", total), checkpoints.job(),
                    elapsed.toMillis());
            return new CopyResult(rows, total, elapsed);
        } finally {
            MDC.remove("tenant");
            MDC.remove("phase");
            MDC.remove("component");
        }
    }

    /** One table's statements, ranges (planned now or resumed) and progress. */
    private record Work(TableStatements statements, List<KeyRange> ranges, TableProgress progress,
                        AtomicInteger rangesLeft) {
    }

    private List<Work> plan() {
        List<Work> out = new ArrayList<>();
        try (Connection src = source.dataSource().getConnection(); Connection tgt = target.dataSource().getConnection()) {
            SessionPins.source(src, source.server());
            tgt.setAutoCommit(true);
            CopyCheckpoints.install(tgt);
            writes = ChunkWrites.decide(settings.write(), target.server(), target.describe(), tenantId.isEmpty());
            for (CopyTable table : tables) {
                Map<String, String> columnOverrides = new HashMap<>();
                table.source().columns().forEach(c -> overrides.charsetOverride(table.name(), c.name())
                        .ifPresent(cs -> columnOverrides.put(c.name().toLowerCase(Locale.ROOT), cs)));
                TableStatements st = new TableStatements(table, source.schema(), target.schema(), columnOverrides);
                long estimate = estimate(src, st);
                List<KeyRange> ranges = checkpoints.load(tgt, table.name());
                if (ranges.isEmpty()) {
                    ranges = RangePlanner.plan(src, st, tenantId, estimate, settings.parallelism());
                    // All of a table's ranges or none: a partial plan would leave rows past the last planned bound.
                    tgt.setAutoCommit(false);
                    checkpoints.plan(tgt, ranges);
                    tgt.commit();
                    tgt.setAutoCommit(true);
                } else {
                    log.info("resuming table {}: {} of {} ranges done, {} rows copied before", table.name(),
                            ranges.stream().filter(KeyRange::done).count(), ranges.size(),
                            ranges.stream().mapToLong(KeyRange::rowsCopied).sum());
                }
                long before = ranges.stream().mapToLong(KeyRange::rowsCopied).sum();
                int left = (int) ranges.stream().filter(r -> !r.done()).count();
                TableProgress progress = new TableProgress(table.name(), estimate, before);
                if (left == 0) {
                    progress.finish();
                }
                out.add(new Work(st, ranges, progress, new AtomicInteger(left)));
            }
        } catch (SQLException e) {
            throw new DatabaseException("planning the copy of " + checkpoints.job(), source.describe() + " to "
                    + target.describe(), e);
        }
        return out;
    }

    /** Per-tenant tables count the tenant's rows; whole tables use the server's estimate (no full scan). */
    private long estimate(Connection src, TableStatements st) throws SQLException {
        Optional<String> predicate = st.tenantPredicate();
        if (predicate.isEmpty()) {
            return st.table().source().rowEstimate();
        }
        try (PreparedStatement ps = src.prepareStatement("SELECT COUNT(*) FROM " + st.sourceTable() + " WHERE "
                + predicate.get())) {
            ps.setString(1, tenantId.orElseThrow(() -> new IllegalStateException(
                    "table " + st.table().name() + " is per tenant but no tenant was given")));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                src.commit();
                return n;
            }
        }
    }

    private void runRanges(List<Work> work, List<TableProgress> progress) throws InterruptedException {
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallelism(), r -> {
            Thread t = new Thread(r, "hikkoshi-copy-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hikkoshi-copy-monitor");
            t.setDaemon(true);
            return t;
        });
        PrintStream terminal = System.console() != null ? System.err : null;
        ProgressReporter reporter = new ProgressReporter(progress, terminal, settings.progressInterval());
        scheduler.scheduleWithFixedDelay(reporter::tick, 1, 1, TimeUnit.SECONDS);
        settings.maxThreadsRunning().ifPresent(max -> {
            checkLoad(max); // before the first chunk: a copy must not start on an overloaded source
            scheduler.scheduleWithFixedDelay(() -> checkLoad(max), 500, 500, TimeUnit.MILLISECONDS);
        });
        ExecutorCompletionService<Void> completion = new ExecutorCompletionService<>(pool);
        int submitted = 0;
        try {
            List<Work> bySize = new ArrayList<>(work);
            bySize.sort(Comparator.comparingLong((Work w) -> w.progress.estimate()).reversed());
            for (Work w : bySize) {
                for (KeyRange range : w.ranges) {
                    if (!range.done()) {
                        Map<String, String> mdc = MDC.getCopyOfContextMap();
                        completion.submit(() -> {
                            if (mdc != null) {
                                MDC.setContextMap(mdc);
                            }
                            copyRange(w, range);
                            return null;
                        });
                        submitted++;
                    }
                }
            }
            for (int finished = 0; finished < submitted; ) {
                Throwable monitor = monitorFailure.get();
                if (monitor != null) {
                    throw new DatabaseException("watching Threads_running", source.describe(),
                            monitor instanceof SQLException s ? s : new SQLException(monitor));
                }
                Future<Void> done = completion.poll(200, TimeUnit.MILLISECONDS);
                if (done != null) {
                    finished++;
                    try {
                        done.get();
                    } catch (ExecutionException e) {
                        throw rethrow(e.getCause());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            scheduler.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            reporter.finish();
        }
    }

    private static RuntimeException rethrow(Throwable cause) throws InterruptedException {
        if (cause instanceof InterruptedException ie) {
            throw ie;
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(cause);
    }

    private void copyRange(Work w, KeyRange range) throws InterruptedException {
        String table = w.statements.table().name();
        String thread = Thread.currentThread().getName();
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                r.run();
            }, thread + "-sender");
            t.setDaemon(true);
            return t;
        });
        try (Connection src = source.dataSource().getConnection(); Connection tgt = target.dataSource().getConnection()) {
            SessionPins.source(src, source.server());
            SessionPins.target(tgt, target.server());
            Optional<String> literalCharset = SessionPins.literalCharset(tgt);
            long maxStatement = Math.min(Math.min(source.server().maxAllowedPacketBytes(),
                    target.server().maxAllowedPacketBytes()) - 16_384, 16L << 20);
            ChunkCopier chunks = new ChunkCopier(w.statements, tenantId, maxStatement, checkpoints, hooks, sender,
                    literalCharset, writes);
            int limit = settings.initialChunkRows();
            KeyRange current = range;
            while (!current.done()) {
                throttle.awaitTurn();
                ChunkCopier.Result r = copyWithRetry(chunks, src, tgt, current, limit);
                current = r.range();
                w.progress.add(r.rows());
                log.debug("table {} range {}: {} rows in {} ms (limit {})", table, current.number(), r.rows(),
                        r.lockNanos() / 1_000_000, limit);
                throttle.charge(r.rows());
                limit = nextLimit(limit, r);
            }
        } catch (SQLException e) {
            throw new DatabaseException("copying rows of table " + table + " of " + checkpoints.job(),
                    source.describe() + " to " + target.describe(), e);
        } finally {
            sender.shutdownNow(); // idle here: every chunk waited for its last INSERT or abandoned it
        }
        if (w.rangesLeft.decrementAndGet() == 0) {
            w.progress.finish();
            log.info("table {} copied: {} rows", table, String.format(Locale.ROOT, "%,d", w.progress.copied()));
        }
    }

    /** Deadlocks and lock wait timeouts (a busy source, the change stream on the target) are retried. */
    private static ChunkCopier.Result copyWithRetry(ChunkCopier chunks, Connection src, Connection tgt, KeyRange range,
                                                    int limit) throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return chunks.copy(src, tgt, range, limit);
            } catch (SQLException e) {
                boolean transientLock = DatabaseException.isTransientLock(e);
                if (!transientLock || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                log.warn("table {} chunk retried after {} (attempt {} of {})", range.table(), e.getMessage(), attempt,
                        MAX_ATTEMPTS);
                Thread.sleep(100L * attempt);
            }
        }
    }

    int nextLimit(int limit, ChunkCopier.Result r) {
        double millis = Math.max(1, r.lockNanos() / 1e6);
        double factor = Math.max(0.5, Math.min(2.0, settings.chunkTarget().toMillis() / millis));
        long next = (long) (limit * factor);
        if (millis > settings.maxLockHold().toMillis()) {
            next = Math.min(next, limit / 2);
        }
        return (int) Math.max(settings.minChunkRows(), Math.min(settings.maxChunkRows(), next));
    }

    private void checkLoad(long max) {
        try (Connection c = source.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_running'")) {
            long running = rs.next() ? Long.parseLong(rs.getString(2).trim()) : 0;
            boolean over = running > max;
            if (over != throttle.overloaded()) {
                if (over) {
                    log.warn("pausing the copy: {} has {} threads running (limit {})", source.describe(), running, max);
                } else {
                    log.info("resuming the copy: {} has {} threads running", source.describe(), running);
                }
            }
            throttle.overloaded(over);
        } catch (SQLException | RuntimeException e) {
            monitorFailure.compareAndSet(null, e);
        }
    }
}
