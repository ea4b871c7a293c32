package dev.hikkoshi.data.stream;

import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.copy.KeySync;
import dev.hikkoshi.data.copy.RowKey;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.stream.StreamTables.StreamTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Carries one tenant's changes from a source to a target: subscribes to a {@link ChangeCapture} from the
 * stream's checkpoint (or the position noted before the copy), judges each transaction for the tenant
 * ({@link TenantFilter}), and at transaction boundaries applies the keys gathered through {@link KeySync} in
 * one target transaction that also saves the position ({@link StreamCheckpoints}) and hikkoshi's write marker.
 * Used by {@code hikkoshi data sync}, reverse sync, and the cutover engine.
 *
 * <p>Concurrency: the capture's thread only enqueues transactions (a full queue holds the capture back). One
 * apply thread, owned by the stream, judges and applies them in order; it is the only writer of the target
 * and the only one to move the state. The heartbeat thread writes the source's heartbeat row. Any failure of
 * either thread ends the stream FAILED with the failure as its problem (the stream is the owner of its
 * background failures: {@link #failure()}); a capture stop (DDL, unsupported event) ends it STOPPED.
 * {@link #status()} reads only atomics.
 *
 * <p>Restart: the checkpoint commits with the rows it covers, after which the source transaction (holding the
 * share locks of the rows read) commits; a stream killed at any point restarts from the last committed
 * batch and re-applies what followed, which is harmless because applying re-reads the source by key.
 */
public final class TenantStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TenantStream.class);
    private static final int MAX_ATTEMPTS = 5;

    /** What a stream carries and where: the tenant's database id selects its rows on both sides. */
    public record Setup(StreamId id, CopyEndpoint source, CopyEndpoint target, TenantScope scope, Schema targetSchema,
                        String tenantDatabaseId, CharsetOverrides overrides, boolean reverse, StreamSettings settings) {
        public Setup {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(targetSchema, "targetSchema");
            Objects.requireNonNull(tenantDatabaseId, "tenantDatabaseId");
            Objects.requireNonNull(overrides, "overrides");
            Objects.requireNonNull(settings, "settings");
        }

        /** The stream of {@code tenant} between the context's source and target sites, with default settings. */
        public static Setup of(dev.hikkoshi.data.connect.DataContext data, TenantScope scope,
                               dev.hikkoshi.core.tenant.Tenant tenant, boolean reverse) {
            StreamId id = new StreamId(tenant.id(), data.source().config().site(), data.target().config().site());
            return new Setup(id, dev.hikkoshi.data.copy.ScopeCopy.endpoint(data.source()),
                    dev.hikkoshi.data.copy.ScopeCopy.endpoint(data.target()), scope, data.targetSchema(),
                    tenant.databaseId(), data.source().config()::charsetOverride, reverse, StreamSettings.defaults());
        }

        /** The checkpoint and heartbeat name: {@code shop/acme:legacy->cloud}. */
        public String name() {
            return source.schema() + "/" + id;
        }
    }

    private final Setup setup;
    private final ChangeCapture capture;
    private final StreamTables tables;
    private final TenantFilter filter;
    private final CopyOrphans orphans;
    private final BatchWriter batches;
    private final BlockingQueue<Object> queue;
    private final AtomicReference<StreamState> state = new AtomicReference<>(StreamState.STARTING);
    private final AtomicReference<String> problem = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AppliedProgress progress;
    private final AtomicLong pendingTransactions = new AtomicLong();
    private final DirtyKeys dirty = new DirtyKeys();
    private final ScheduledExecutorService heartbeat;
    private final Thread applier;
    private volatile boolean paused;
    /** Whether the copy's orphans are dealt with ({@link #sweepOrphans}); from the start when the target has none. */
    private boolean swept;
    /** Time the apply thread spent judging the changes of the batch being gathered (for the DEBUG line). */
    private long judgedNanos;
    private volatile boolean closing;
    private volatile ChangeCapture.Subscription subscription;

    private TenantStream(Setup setup, List<TableScope> carried, ChangeCapture capture, Duration clockOffset) {
        this.setup = setup;
        this.capture = capture;
        this.progress = new AppliedProgress(clockOffset);
        this.tables = new StreamTables(carried, setup.targetSchema(), setup.source(), setup.target(),
                setup.tenantDatabaseId(), setup.overrides(), !setup.reverse());
        this.filter = new TenantFilter(tables, setup.source().dataSource(), setup.source().schema(), setup.target().schema(),
                setup.tenantDatabaseId());
        this.orphans = new CopyOrphans(tables, setup.source().schema(), setup.target().schema());
        // Only a forward stream's target holds a copy's orphans (see CopyOrphans and StreamTables).
        this.swept = !tables.targetOrphansDeletable();
        this.batches = new BatchWriter(tables, filter, setup.name());
        this.queue = new ArrayBlockingQueue<>(setup.settings().queueTransactions());
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hikkoshi-heartbeat-" + setup.id()));
        this.applier = daemon(this::applyLoop, "hikkoshi-stream-" + setup.id());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts the stream: from its checkpoint on the target if it has one, else from {@code from} (the position
     * noted before the copy, or, for a reverse sync, while the tenant was frozen).
     */
    public static TenantStream start(Setup setup, ChangeCapture capture, CapturePosition from) {
        return start(setup, setup.scope().perTenantTables(), capture, from);
    }

    /**
     * As {@link #start(Setup, ChangeCapture, CapturePosition)}, carrying {@code carried} (all rows of a table
     * whose class has no tenant predicate: the shared tables of {@link SharedTableStream}).
     */
    static TenantStream start(Setup setup, List<TableScope> carried, ChangeCapture capture, CapturePosition from) {
        Duration offset;
        try {
            offset = Duration.between(Instant.now(), Heartbeat.sourceNow(setup.source().dataSource()));
        } catch (SQLException e) {
            throw new DatabaseException("reading the clock of the source of stream " + setup.id(),
                    setup.source().describe(), e);
        }
        TenantStream stream = new TenantStream(setup, carried, capture, offset);
        stream.begin(from);
        return stream;
    }

    private Connection src;
    private Connection tgt;

    private void begin(CapturePosition from) {
        try {
            tgt = setup.target().dataSource().getConnection();
            tgt.setAutoCommit(true);
            StreamCheckpoints.install(tgt);
            src = setup.source().dataSource().getConnection();
            src.setAutoCommit(true);
            Heartbeat.install(src);
            KeySync.pinSource(src, setup.source());
            KeySync.pinTarget(tgt, setup.target());
            Optional<StreamCheckpoints.Checkpoint> saved = StreamCheckpoints.load(tgt, setup.name());
            CapturePosition start = saved.map(StreamCheckpoints.Checkpoint::position).orElse(from);
            if (saved.isEmpty()) {
                StreamCheckpoints.save(tgt, setup.name(), from, null, 0);
                tgt.commit();
            }
            progress.startAt(start, saved.map(StreamCheckpoints.Checkpoint::appliedChanges).orElse(0L),
                    saved.flatMap(StreamCheckpoints.Checkpoint::coveredBefore));
            filter.load(src);
            log.info("stream {} starting at {} ({}), {} tables", setup.id(), start.text(),
                    saved.isPresent() ? "its checkpoint" : "the position noted", tables.names().size());
            move(StreamState.CATCHING_UP);
            applier.start();
            subscription = capture.subscribe(setup.name(), new java.util.LinkedHashSet<>(tables.names()), start, new Sink());
            long beatMillis = setup.settings().heartbeatInterval().toMillis();
            heartbeat.scheduleWithFixedDelay(this::beat, 0, beatMillis, TimeUnit.MILLISECONDS);
        } catch (SQLException e) {
            closeQuietly();
            throw new DatabaseException("starting stream " + setup.id(), setup.source().describe() + " to "
                    + setup.target().describe(), e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Receives the capture's transactions on the capture's thread. */
    private final class Sink implements ChangeSink {
        @Override
        public void accept(ChangeTransaction transaction) throws InterruptedException {
            if (closing) {
                return;
            }
            progress.received(transaction);
            // Waits while the queue is full (that holds the capture back), but not past a close: the capture's
            // thread serves every stream of the source server, and a put into the queue of a stream whose
            // applier has stopped would never return and stall them all.
            while (!queue.offer(transaction, 100, TimeUnit.MILLISECONDS)) {
                if (closing) {
                    return;
                }
            }
        }

        @Override
        public void stopped(CaptureStop reason) {
            if (!closing) {
                queue.offer(reason);
            }
        }

        /** {@link #apply} reports each committed batch's position to the subscription. */
        @Override
        public boolean reportsCheckpoints() {
            return true;
        }

        /** The tenant filter's: a capture leaves out the changes judging would take nothing from. */
        @Override
        public Optional<String> decidingColumn(String table) {
            return filter.decidingColumn(table);
        }

        @Override
        public boolean ignores(String table, Map<String, Object> before, Map<String, Object> after) {
            return filter.ignores(table, before, after);
        }
    }

    private void beat() {
        try {
            Heartbeat.beat(setup.source().dataSource(), setup.name());
        } catch (SQLException | RuntimeException e) {
            fail(new DatabaseException("writing the heartbeat of stream " + setup.id(), setup.source().describe(),
                    e instanceof SQLException s ? s : new SQLException(e)));
        }
    }

    private void applyLoop() {
        MDC.put("tenant", setup.id().tenant().value());
        MDC.put("phase", setup.reverse() ? "reverse-sync" : "stream");
        MDC.put("component", "data");
        Map<StreamTable, Set<RowKey>> pending = new LinkedHashMap<>();
        ChangeTransaction last = null;
        int batch = 0;
        long batchChanges = 0;
        try {
            while (!closing) {
                if (paused) {
                    Thread.sleep(50);
                    continue;
                }
                Object item = queue.poll(50, TimeUnit.MILLISECONDS);
                if (item instanceof ChangeTransaction tx) {
                    long judging = System.nanoTime();
                    filter.judge(tx, src, tgt, pending);
                    judgedNanos += System.nanoTime() - judging;
                    last = tx;
                    batch++;
                    batchChanges += tx.changes().size();
                    pendingTransactions.set(batch);
                }
                int keys = pending.values().stream().mapToInt(Set::size).sum();
                boolean boundary = queue.isEmpty() || batch >= setup.settings().batchTransactions()
                        || keys >= setup.settings().batchKeys() || item instanceof CaptureStop;
                if (last != null && boundary) {
                    apply(pending, last, batchChanges);
                    pending.clear();
                    last = null;
                    batch = 0;
                    batchChanges = 0;
                    pendingTransactions.set(0);
                }
                if (item instanceof CaptureStop stop) {
                    stopped(stop);
                    return;
                }
                refreshState();
                if (!swept && last == null && queue.isEmpty()) {
                    sweepOrphans();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            fail(e);
        }
    }

    /**
     * Once caught up after starting (the changes made during the copy applied), deletes the copy's orphans
     * ({@link CopyOrphans}); deeper levels become orphans when the level above goes, hence the loop.
     * Costs one anti-join per join-path table on the target per stream start.
     */
    private void sweepOrphans() throws SQLException, InterruptedException {
        swept = true;
        for (int level = 0; level < 8; level++) {
            Map<StreamTable, Set<RowKey>> found = orphans.find(src, tgt);
            if (found.isEmpty()) {
                return;
            }
            log.info("stream {}: removing {} rows the copy left without a parent", setup.id(),
                    found.values().stream().mapToInt(Set::size).sum());
            apply(found, null, 0);
        }
    }

    private void apply(Map<StreamTable, Set<RowKey>> pending, ChangeTransaction last, long changes)
            throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                batches.write(src, tgt, pending, last, progress.appliedChanges() + changes);
                ChangeCapture.Subscription s = subscription;
                if (s != null && last != null) {
                    s.checkpointed(last.end());
                }
                break;
            } catch (SQLException e) {
                rollback(e);
                boolean transientLock = DatabaseException.isTransientLock(e);
                if (!transientLock || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                log.warn("stream {} batch retried after {} (attempt {} of {})", setup.id(), e.getMessage(), attempt,
                        MAX_ATTEMPTS);
                Thread.sleep(100L * attempt);
            } catch (RuntimeException e) {
                rollback(e);
                throw e;
            }
        }
        Map<String, Set<RowKey>> changedKeys = new LinkedHashMap<>();
        pending.forEach((t, keys) -> changedKeys.put(t.name(), keys));
        dirty.changed(changedKeys);
        if (last == null) {
            return;
        }
        progress.applied(last, changes);
        log.debug("stream {} applied up to {}: {} changes judged in {} ms, {} keys", setup.id(), last.end().text(),
                changes, judgedNanos / 1_000_000, pending.values().stream().mapToInt(Set::size).sum());
        judgedNanos = 0;
    }

    private void rollback(Throwable cause) {
        for (Connection c : new Connection[] {tgt, src}) {
            try {
                c.rollback();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * CATCHING_UP until the backlog is applied and the lag is under {@code streaming-lag}; back to CATCHING_UP only
     * when the lag reaches it again. A stream applying live traffic as it comes has a transaction pending most of
     * the time: judging by pending work alone flapped the state (and its log line) at every transaction.
     */
    private void refreshState() {
        StreamState now = state.get();
        boolean behind = lagSeconds() >= setup.settings().streamingLag().toSeconds();
        if (now == StreamState.CATCHING_UP && !behind && queue.isEmpty() && pendingTransactions.get() == 0) {
            move(StreamState.STREAMING);
        } else if (now == StreamState.STREAMING && behind) {
            move(StreamState.CATCHING_UP);
        }
    }

    private void move(StreamState next) {
        StreamState from = state.get();
        if (!from.canMoveTo(next)) {
            throw new IllegalStateException("stream " + setup.id() + " of tenant " + setup.id().tenant() + " cannot go from "
                    + from + " to " + next + " (allowed: " + from.successors() + ")");
        }
        state.set(next);
        log.info("stream {}: {} -> {}", setup.id(), from, next);
    }

    private void stopped(CaptureStop stop) {
        problem.set(stop.message());
        try {
            StreamCheckpoints.stopped(tgt, setup.name(), stop.message());
            tgt.commit();
        } catch (SQLException e) {
            log.warn("stream {}: could not record the stop on the target: {}", setup.id(), e.getMessage());
        }
        log.error("stream {} stopped: {}", setup.id(), stop.message());
        move(StreamState.STOPPED);
        shutdownBackground();
    }

    private void fail(Throwable e) {
        if (closing || !failure.compareAndSet(null, e)) {
            return;
        }
        problem.set(e.getMessage());
        log.error("stream {} failed{}: {}", setup.id(), setup.reverse() ? " (reverse sync: a rollback could lose writes)" : "",
                e.getMessage(), e);
        StreamState from = state.get();
        if (from.canMoveTo(StreamState.FAILED)) {
            state.set(StreamState.FAILED);
        }
        shutdownBackground();
        applier.interrupt();
    }

    private void shutdownBackground() {
        heartbeat.shutdownNow();
        ChangeCapture.Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        progress.wake();
    }

    /** The first background failure (apply or heartbeat), if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    public StreamId id() {
        return setup.id();
    }

    public Setup setup() {
        return setup;
    }

    /** Stops applying (the capture is held back once the queue is full); lag rises while the source changes. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    /** How far the target is behind the source, in seconds ({@link AppliedProgress#lagSeconds}). */
    public double lagSeconds() {
        return progress.lagSeconds();
    }

    /**
     * Waits until everything committed on the source before this call is applied. False on timeout or if the
     * stream ended.
     *
     * <p>With a binlog or trigger capture the drain point is the source's position read now (a binlog position,
     * or the last change-log id below which every row is resolved): the capture delivers in that order, so once
     * the applied position reaches it every transaction committed before this call is on the target, and the
     * wait costs only the apply of what was pending ({@link DrainPoint}). A checksum capture is asked to start a
     * pass now, and a transaction claiming past this call must be applied (a pass that began after it, or a running
     * pass's claim, see {@code PassClaims}). Otherwise (positions in notations that
     * cannot be compared) a heartbeat is written now and a transaction committed a whole second after it must be
     * applied, since binlog timestamps have whole seconds.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<CapturePosition> point = drainPoint();
        if (point.isPresent()) {
            return awaitApplied(deadline, () -> DrainPoint.reached(progress.position(), point.get()).orElse(false));
        }
        Optional<Instant> readAfter = capture.readAfterNow();
        if (readAfter.isPresent()) {
            return awaitApplied(deadline, () -> {
                Instant applied = progress.lastCommittedAt();
                return applied != null && applied.isAfter(readAfter.get());
            });
        }
        Instant beat;
        try {
            beat = Heartbeat.beat(setup.source().dataSource(), setup.name());
        } catch (SQLException e) {
            throw new DatabaseException("writing the heartbeat of stream " + setup.id(), setup.source().describe(), e);
        }
        Instant wanted = beat.plusSeconds(1);
        return awaitApplied(deadline, () -> {
            Instant applied = progress.lastCommittedAt();
            return applied != null && !applied.isBefore(wanted);
        });
    }

    /** The source's position now, when it can be compared with the applied one (binlog and change-log notations); else empty. */
    private Optional<CapturePosition> drainPoint() {
        CapturePosition applied = progress.position();
        if (applied == null) {
            return Optional.empty();
        }
        CapturePosition now = capture.currentPosition();
        return DrainPoint.reached(applied, now).isPresent() ? Optional.of(now) : Optional.empty();
    }

    /** Waits for {@code done}, re-checked after each applied batch; false on timeout or if the stream ended. */
    private boolean awaitApplied(long deadline, java.util.function.BooleanSupplier done) throws InterruptedException {
        return progress.await(deadline, done, state::get);
    }

    /** A snapshot for {@link dev.hikkoshi.core.stream.StreamProgress}. */
    public StreamStatus status() {
        long dirtyRows = dirty.rows();
        return new StreamStatus(setup.id(), capture.mode(), state.get(), Optional.ofNullable(progress.position())
                .map(CapturePosition::text).orElse("-"), lagSeconds(), queue.size() + pendingTransactions.get(),
                Duration.between(progress.lastAppliedAt(), Instant.now()), dirtyRows, progress.appliedChanges(),
                setup.reverse(), Optional.ofNullable(problem.get()), Instant.now());
    }

    /** Keys changed since they were last verified, by table: what the final verification compares. */
    public DirtyKeys.Snapshot dirtyKeys() {
        return dirty.snapshot();
    }

    /**
     * Forgets the keys of {@code table} that a verification of {@code seen} found equal; a key the stream changed
     * again since {@code seen} was taken stays dirty ({@link DirtyKeys}).
     */
    public void verified(DirtyKeys.Snapshot seen, String table, Set<RowKey> equal) {
        dirty.verified(seen, table, equal);
    }

    public StreamState state() {
        return state.get();
    }

    /** Stops the stream on purpose; the checkpoint stays, so a new stream continues from it. */
    @Override
    public void close() {
        closing = true;
        shutdownBackground();
        applier.interrupt();
        try {
            applier.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StreamState from = state.get();
        if (from.canMoveTo(StreamState.CLOSED)) {
            state.set(StreamState.CLOSED);
        }
        progress.wake();
        closeQuietly();
    }

    private void closeQuietly() {
        heartbeat.shutdownNow();
        for (Connection c : new Connection[] {tgt, src}) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    log.debug("closing a connection of stream {}: {}", setup.id(), e.getMessage());
                }
            }
        }
    }

    List<String> tableNames() {
        return new ArrayList<>(tables.names());
    }
}
