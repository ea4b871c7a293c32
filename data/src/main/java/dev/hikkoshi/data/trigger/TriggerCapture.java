package dev.hikkoshi.data.trigger;

import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Trigger change capture for a source without a row binlog (MySQL 5.0 and up): {@link #install()} puts AFTER
 * triggers on every table in scope that record each changed row's key and tenant-deciding column (old and new
 * values) in {@code hikkoshi.changes_<schema>}; each subscription drains that log in id order on its own thread
 * and hands the stream {@link ChangeTransaction}s whose position is {@link CapturePosition.ChangeLog}.
 *
 * <p>Transactions: the log does not know the source's transaction boundaries. A drained batch is cut into runs
 * of rows with the same {@code own_write} flag, each delivered as one transaction; streams re-read rows by key,
 * so splitting a source transaction never exposes a half-applied one for longer than the batch.
 *
 * <p>hikkoshi's own writes are recorded, not skipped: a session with {@code @hikkoshi_write} set
 * ({@link dev.hikkoshi.data.capture.WriteMarker}) writes rows with {@code own_write = 1}, delivered in
 * transactions with {@link ChangeTransaction#ownWrite()} set, so the split-brain watch can tell them from a
 * write that bypassed the move and a forward stream can ignore them.
 *
 * <p>Lag: a drain that finds nothing new hands its stream an empty transaction stamped with the source's clock,
 * read just before the (locking) read that came back empty, at most every {@code idleBeatMillis}: everything
 * committed before that moment has been delivered. A stream that stops applying blocks its drain, so the last
 * stamp it applied ages and its lag rises, as with a heartbeat row.
 *
 * <p>Purging: rows are deleted only up to the lowest position every subscription of this capture (closed unnamed
 * ones included, until the capture closes) reported through {@link Subscription#checkpointed}, and every named
 * consumer recorded on the source has passed. Nothing purges a row a stream has not durably passed, nor one a
 * named consumer in any process has not ({@link ChangeLogPurge}); the newest row always stays.
 *
 * <p>Concurrency: one drain thread per subscription, each with its own connection; failures end that
 * subscription with {@link ChangeSink#stopped} (one owner per stream), lock-wait timeouts are retried.
 */
public final class TriggerCapture implements ChangeCapture {
    private static final Logger log = LoggerFactory.getLogger(TriggerCapture.class);
    private static final long PURGE_CHECK_NANOS = 1_000_000_000L;
    /**
     * While a drain's stream has not yet applied what it was handed (a catch-up, such as the final sync in a
     * freeze), that drain does not purge until its stream has been behind this long (from the first idle poll that
     * found it behind), and then purges this seldom instead of every second: its deletes would share the source with
     * the stream's re-reads just when they count. Not timed from the last purge, which on a source at rest was long
     * before the burst (a purge then ran at once, amid the catch-up). A stream that is always behind still purges.
     * Only the drain of the stream that is behind holds back: other drains of the capture that are caught up (other
     * tenants' streams, a bypass watch) still purge every second.
     */
    private static final long BEHIND_PURGE_CHECK_NANOS = 5_000_000_000L;
    private static final long NOT_BEHIND = Long.MIN_VALUE;
    private static final long BUSY_NANOS = 1_000_000_000L;
    private static final int BUSY_POLL_DIVISOR = 5;
    /**
     * A drain behind by full reads doubles its read up to this many times {@code batchRows}: the first read after
     * idle stays small so the stream starts applying at once, the later ones need fewer statements and give the
     * stream larger batches (one source re-read and two commits each).
     */
    static final int READ_GROWTH = 8;

    /**
     * Rows read per drain, how long an idle drain sleeps, how often an idle drain tells its stream that it is
     * caught up (an empty transaction stamped with the source's clock, the trigger mode's heartbeat), and whether
     * checkpointed rows are deleted.
     */
    public record Options(int batchRows, long pollMillis, long idleBeatMillis, boolean purge) {
        public Options {
            if (batchRows < 1 || pollMillis < 1 || idleBeatMillis < 1) {
                throw new IllegalArgumentException("batchRows, pollMillis and idleBeatMillis must be positive: " + batchRows
                        + ", " + pollMillis + ", " + idleBeatMillis);
            }
        }

        public static Options defaults() {
            // An idle drain polls every 50 ms (two small statements on the source): a change committed while no
            // read waits on it is seen within that; 200 ms added up to 200 ms to a small change. Reads of 10,000
            // rows, and reads joined into one transaction, were both slower for bench/sync.sh's 12,000-row change.
            return new Options(1_000, 50, 1_000, true);
        }
    }

    private final CopyEndpoint source;
    private final Options options;
    private final ChangeLogTable changeLog;
    private final ChangeLogReader reader;
    private final ChangeDecoder decoder;
    private final TriggerInstaller installer;
    private final Map<String, CapturedTable> tables = new LinkedHashMap<>();
    private final List<Drain> drains = new CopyOnWriteArrayList<>();
    private final ChangeLogPurge purge;
    private final AtomicLong delivered = new AtomicLong();
    private volatile long resolvedThrough;

    public TriggerCapture(CopyEndpoint source, TenantScope scope, CharsetOverrides overrides, Options options) {
        this.source = Objects.requireNonNull(source, "source");
        this.options = Objects.requireNonNull(options, "options");
        this.changeLog = new ChangeLogTable(source.schema());
        this.reader = new ChangeLogReader(changeLog);
        this.decoder = new ChangeDecoder(Objects.requireNonNull(overrides, "overrides"));
        this.installer = new TriggerInstaller(source);
        this.purge = new ChangeLogPurge(source, changeLog, reader);
        for (TableScope t : scope.tables()) {
            tables.put(t.name().toLowerCase(Locale.ROOT), CapturedTable.of(t));
        }
    }

    @Override
    public String mode() {
        return "triggers";
    }

    /**
     * Creates the change log and the triggers (idempotent). Call it before noting {@link #currentPosition()} for
     * a copy: changes are recorded only from here on. Throws a {@link dev.hikkoshi.core.UserException} naming
     * the conflicting triggers, or the missing privilege, with the options.
     */
    public void install() {
        installer.install(List.copyOf(tables.values()));
    }

    /** Removes every trigger and table this capture (or an earlier one on the schema) installed; idempotent. */
    public int uninstall() {
        return installer.uninstall();
    }

    /** The installer, for {@code hikkoshi data uninstall} and status output. */
    public TriggerInstaller installer() {
        return installer;
    }

    /** The last change-log id once every row below it is committed or rolled back (see {@link ChangeLogReader}). */
    @Override
    public CapturePosition currentPosition() {
        try (Connection c = source.dataSource().getConnection()) {
            c.setAutoCommit(true);
            long resolved = reader.resolvedMax(c, resolvedThrough);
            resolvedThrough = Math.max(resolvedThrough, resolved);
            // The caller (a stream's catch-up, the final sync in a freeze) waits for the drains to reach this: they
            // read now instead of at their next poll.
            drains.forEach(Drain::wake);
            return new CapturePosition.ChangeLog(resolved);
        } catch (SQLException e) {
            throw new DatabaseException("reading the position of change log " + installer.changeLogTable(), source.describe(), e);
        }
    }

    /**
     * Holds the change log for {@code consumer} before reading the position (at 0, then at the position): a purge
     * anywhere that reads the consumers after the first hold cannot pass the position read, and one that read them
     * before can only have passed changes that were already resolved, so at or before it.
     */
    @Override
    public CapturePosition notePosition(String consumer) {
        Objects.requireNonNull(consumer, "consumer");
        purge.hold(consumer, 0);
        CapturePosition.ChangeLog position = (CapturePosition.ChangeLog) currentPosition();
        purge.hold(consumer, position.lastId());
        return position;
    }

    /** The consumers recorded on the source: streams (in any process) that read, or will read, this change log. */
    public List<String> consumers() {
        return purge.consumers();
    }

    /** Row changes handed to sinks since this capture was created, over all subscriptions. */
    public long deliveredChanges() {
        return delivered.get();
    }

    /** The highest change-log id deleted by this capture (0 if none). */
    public long purgedThrough() {
        return purge.purgedThrough();
    }

    @Override
    public Subscription subscribe(Set<String> tableNames, CapturePosition from, ChangeSink sink) {
        return start(null, tableNames, from, sink);
    }

    /** A named subscription: its progress is kept on the source, so no capture in any process purges past it. */
    @Override
    public Subscription subscribe(String consumer, Set<String> tableNames, CapturePosition from, ChangeSink sink) {
        Objects.requireNonNull(consumer, "consumer");
        return start(consumer, tableNames, from, sink);
    }

    @Override
    public void forget(String consumer) {
        purge.forget(consumer);
    }

    private Subscription start(String consumer, Set<String> tableNames, CapturePosition from, ChangeSink sink) {
        if (!(from instanceof CapturePosition.ChangeLog start)) {
            throw new IllegalArgumentException("the trigger capture resumes from a change-log position, not " + from.text());
        }
        Set<String> wanted = tableNames.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String t : wanted) {
            if (!tables.containsKey(t)) {
                throw new IllegalArgumentException("table " + t + " is not in the trigger capture's scope: " + tables.keySet());
            }
        }
        Drain drain = new Drain(wanted, start.lastId(), sink);
        purge.track(drain, consumer, start.lastId());
        drains.add(drain);
        drain.thread.start();
        return drain;
    }

    /**
     * Stops every drain. A drain whose subscription was still open is told so ({@link ChangeSink#stopped}): its stream
     * must not go quiet as if the source had no changes (a finalize removing the capture under a stream that
     * subscribed after it looked for consumers).
     */
    @Override
    public void close() {
        for (Drain d : drains) {
            boolean open = d.running;
            d.close();
            if (open) {
                d.sink.stopped(new CaptureStop.Failed("the trigger capture of " + source.describe() + " was closed under"
                        + " this stream, which reads no more changes until it is started again", null));
            }
        }
        drains.clear();
        purge.clear();
    }

    /** One subscription: a thread draining the log from its own position. */
    private final class Drain implements Subscription {
        private final Set<String> wanted;
        private final ChangeSink sink;
        /** The sink's deciding column of each table it was asked about (drain thread only). */
        private final Map<String, Optional<String>> deciding = new HashMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private long cursor;
        /** Rows the next read asks for: {@code batchRows}, doubled after each full read up to READ_GROWTH times. */
        private int readRows = options.batchRows();
        private long lastDelivery = System.nanoTime();
        /** When a read last returned rows: for a second after, the drain polls BUSY_POLL_DIVISOR times as often. */
        private long lastRows = System.nanoTime() - BUSY_NANOS;
        /** Released by {@link TriggerCapture#currentPosition()}: its caller is about to wait for the drain. */
        private final Semaphore wake = new Semaphore(0);
        private long lastPurgeCheck = System.nanoTime() - PURGE_CHECK_NANOS;
        /** Since when this drain's stream has been behind what it was handed (see BEHIND_PURGE_CHECK_NANOS). */
        private long behindSince = NOT_BEHIND;

        Drain(Set<String> wanted, long from, ChangeSink sink) {
            this.wanted = wanted;
            this.cursor = from;
            this.sink = sink;
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            this.thread = new Thread(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                MDC.put("component", "capture-triggers");
                run();
            }, "hikkoshi-trigger-drain-" + source.schema());
            thread.setDaemon(true);
        }

        private void run() {
            Connection c = null;
            try {
                while (running) {
                    if (c == null) {
                        c = source.dataSource().getConnection();
                        c.setAutoCommit(true);
                    }
                    List<ChangeLogReader.Entry> entries;
                    long sourceNow = -1;
                    long readStart = System.nanoTime();
                    try {
                        // The clock first: whatever committed before it is in the read that follows. After a full
                        // read the next one is rarely empty, so its clock (a round trip) is left out.
                        if (readRows == options.batchRows()) {
                            sourceNow = reader.sourceClock(c);
                        }
                        entries = reader.read(c, cursor, readRows);
                    } catch (SQLException e) {
                        if (DatabaseException.isTransientLock(e)) {
                            log.warn("waiting for an open transaction on {} that wrote change-log rows after id {}: {}",
                                    source.describe(), cursor, e.getMessage());
                            continue;
                        }
                        throw e;
                    }
                    boolean full = entries.size() == readRows;
                    readRows = full ? Math.min(readRows * 2, options.batchRows() * READ_GROWTH) : options.batchRows();
                    if (entries.isEmpty()) {
                        if (sourceNow >= 0 && System.nanoTime() - lastDelivery >= options.idleBeatMillis() * 1_000_000) {
                            sink.accept(new ChangeTransaction(new CapturePosition.ChangeLog(cursor),
                                    Instant.ofEpochMilli(sourceNow), false, List.of()));
                            lastDelivery = System.nanoTime();
                        }
                        if (sourceNow >= 0) {
                            purgeIfDue(c);
                            pause();
                        }
                        continue;
                    }
                    long readNanos = System.nanoTime() - readStart;
                    long handing = System.nanoTime();
                    deliver(entries);
                    if (log.isDebugEnabled()) {
                        log.debug("drained {} change-log rows after id {}: read in {} ms, handed over in {} ms", entries.size(),
                                entries.get(0).id() - 1, readNanos / 1_000_000, (System.nanoTime() - handing) / 1_000_000);
                    }
                }
            } catch (InterruptedException e) {
                // Closing the subscription interrupts it on purpose: the stream closed it and needs no news.
                Thread.currentThread().interrupt();
                if (running) {
                    sink.stopped(new CaptureStop.Failed("the trigger drain of " + source.describe() + " was interrupted", e));
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                DatabaseException failure = new DatabaseException("draining change log " + installer.changeLogTable()
                        + " after id " + cursor, source.describe(), e);
                log.error("{}", failure.getMessage(), failure);
                sink.stopped(new CaptureStop.Failed(failure.getMessage(), failure));
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("trigger drain of {} failed after change-log id {}", source.describe(), cursor, e);
                sink.stopped(new CaptureStop.Failed("the trigger drain of " + source.describe() + " failed after change-log id "
                        + cursor + ": " + e.getMessage(), e));
            } finally {
                closeQuietly(c);
            }
        }

        private void deliver(List<ChangeLogReader.Entry> entries) throws InterruptedException {
            int from = 0;
            while (from < entries.size()) {
                boolean own = entries.get(from).ownWrite();
                int to = from;
                long changedUnix = 0;
                List<RowChange> changes = new ArrayList<>();
                while (to < entries.size() && entries.get(to).ownWrite() == own) {
                    ChangeLogReader.Entry e = entries.get(to);
                    changedUnix = Math.max(changedUnix, e.changedUnix());
                    String table = e.table().toLowerCase(Locale.ROOT);
                    if (wanted.contains(table) && !ignored(e, table)) {
                        changes.add(decoder.decode(e, tables.get(table)));
                    }
                    to++;
                }
                long lastId = entries.get(to - 1).id();
                sink.accept(new ChangeTransaction(new CapturePosition.ChangeLog(lastId), Instant.ofEpochSecond(changedUnix),
                        own, changes));
                delivered.addAndGet(changes.size());
                purge.delivered(lastId);
                cursor = lastId;
                lastDelivery = System.nanoTime();
                lastRows = lastDelivery;
                from = to;
            }
        }

        /**
         * Waits for the next poll: {@code pollMillis} on an idle source, a fifth of it for a second after a read
         * that found rows (a busy source's next change is seen sooner; an idle one is not polled faster), and no
         * longer once {@link #wake()} is called.
         */
        private void pause() throws InterruptedException {
            long millis = System.nanoTime() - lastRows < BUSY_NANOS
                    ? Math.max(1, options.pollMillis() / BUSY_POLL_DIVISOR) : options.pollMillis();
            if (wake.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
            }
        }

        void wake() {
            wake.release();
        }

        /**
         * True when the sink says it cannot use this change, judged from its deciding column alone (a stream's
         * tenant column): the rest of the row is then never decoded, and the change is not delivered. A bench
         * change over 50 tenants is four fifths other tenants' rows.
         */
        private boolean ignored(ChangeLogReader.Entry e, String table) {
            Optional<String> column = deciding.computeIfAbsent(table, sink::decidingColumn);
            if (column.isEmpty()) {
                return false;
            }
            List<Map<String, Object>> images = decoder.decidingImages(e, tables.get(table), column.get());
            return images != null && sink.ignores(table, images.get(0), images.get(1));
        }

        /**
         * Purges at most once a second; while this drain's stream is behind, not before it has been behind for five
         * seconds, and then every five.
         */
        private void purgeIfDue(Connection c) throws SQLException {
            if (!options.purge()) {
                return;
            }
            long now = System.nanoTime();
            boolean behind = purge.behind(this, cursor);
            if (!behind) {
                behindSince = NOT_BEHIND;
            } else if (behindSince == NOT_BEHIND) {
                behindSince = now;
            }
            long every = behind ? BEHIND_PURGE_CHECK_NANOS : PURGE_CHECK_NANOS;
            boolean catchingUp = behind && now - behindSince < BEHIND_PURGE_CHECK_NANOS;
            if (catchingUp || now - lastPurgeCheck < every || !purge.due()) {
                return;
            }
            lastPurgeCheck = now;
            purge.purge(c);
        }

        @Override
        public void checkpointed(CapturePosition position) {
            if (position instanceof CapturePosition.ChangeLog p) {
                purge.acknowledge(this, p.lastId());
            }
        }

        /**
         * Stops the drain. A named one's position stays recorded on the source; an unnamed one's keeps holding back
         * the purge until the capture closes ({@link ChangeLogPurge#release}).
         */
        @Override
        public void close() {
            running = false;
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            purge.release(this);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing a drain connection failed", e);
            }
        }
    }
}
