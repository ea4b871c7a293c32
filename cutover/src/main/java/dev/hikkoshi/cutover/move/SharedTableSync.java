package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyJob;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.copy.ScopeCopy;
import dev.hikkoshi.data.copy.TenantRows;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.SqlIdentifier;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.stream.BypassWatch;
import dev.hikkoshi.data.stream.SharedTableStream;
import dev.hikkoshi.data.stream.StreamCheckpoints;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.data.stream.WatchPositions;
import dev.hikkoshi.data.verify.VerifyReport;
import dev.hikkoshi.data.verify.VerifyTables;
import dev.hikkoshi.data.verify.Verifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The shared tables ({@code data.tables.NAME.shared}) while the controller runs: for each writer site, one
 * {@link SharedTableStream} carrying the tables it writes to the other site, and a {@link BypassWatch} on that other
 * site reporting any write to them that hikkoshi did not make (to the listener: the split-brain guard, which
 * pauses the plan). A table's writer is the config's unless {@code hikkoshi shared switch} moved it
 * ({@link SharedWriters}, in the state directory). {@link #switchWriter} moves one table's writer. Built and closed
 * by the controller process; the streams are listed in the controller's stream registry under the pseudo-tenant
 * {@code shared-tables}.
 *
 * <p>The freeze of a switch: {@code LOCK TABLES t READ} on a session of its own on the old writer. It waits for
 * the transactions that wrote {@code t} to commit (they hold its metadata lock), then makes every other session's
 * write to {@code t} wait (readers go on) until {@code UNLOCK TABLES}; it exists on every MySQL version hikkoshi
 * reads (5.0 included) and needs only the LOCK TABLES privilege. Its wait for the lock is bounded by
 * {@code lock_wait_timeout}, so a long transaction makes the switch refuse instead of queueing the application's
 * writes behind it. Limits: it holds writers of {@code t} on the old site only (the new writer is not yet written
 * to by anyone but hikkoshi), and a writer whose own lock wait times out during the freeze gets an error.
 *
 * <p>Concurrency: start, switch and close are synchronized; the streams and watches run on their own threads.
 */
public final class SharedTableSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedTableSync.class);
    private static final Tenant SHARED = new Tenant(SharedTableStream.LISTED_AS, "");
    /** How long the freeze waits for the table's lock (seconds): a writer holding it longer makes the switch refuse. */
    static final int LOCK_WAIT_SECONDS = 5;

    private final MoveData data;
    private final SiteId first;
    private final SiteId second;
    private final SharedWriters writers;
    private final Consumer<BypassWrite> listener;
    private final Duration drainTimeout;
    private final Clock clock;
    private final Map<SiteId, TenantStream> streams = new LinkedHashMap<>();
    private final Map<SiteId, BypassWatch> watches = new LinkedHashMap<>();

    /** What a switch did, for the operator's answer and the audit log. */
    public record Switched(String table, SiteId from, SiteId to, long rowsVerified, Duration frozen) {
    }

    /** A shared table, its writer now, and the one the config names. */
    public record Writer(String table, SiteId writer, SiteId configured, Optional<Instant> switchedAt,
                         Optional<String> switchedBy) {
    }

    /**
     * @param first    the site tenants leave; {@code second}: the site they move to (shared tables flow between them)
     * @param listener where bypassing writes on a non-writer site go (the split-brain guard)
     */
    public SharedTableSync(MoveData data, SiteId first, SiteId second, Path stateDir, Consumer<BypassWrite> listener,
                           Duration drainTimeout, Clock clock) {
        this.data = Objects.requireNonNull(data, "data");
        this.first = first;
        this.second = second;
        this.writers = SharedWriters.load(stateDir);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.drainTimeout = drainTimeout;
        this.clock = clock;
    }

    /** The shared tables and their writers (the switched one where a switch happened). */
    public List<Writer> writers() {
        List<Writer> out = new ArrayList<>();
        for (TableScope t : data.scope(first, second).tables()) {
            if (t.tableClass() instanceof TableClass.Shared s) {
                Optional<SharedWriters.Entry> e = writers.entry(t.name());
                out.add(new Writer(t.name(), writers.writer(t.name(), s.writer()), s.writer(),
                        e.map(SharedWriters.Entry::at), e.map(SharedWriters.Entry::by)));
            }
        }
        return out;
    }

    /**
     * Starts a stream and a watch for each site that writes shared tables. Idempotent. A direction no shared table
     * is written in is not inspected at all: its scope may not hold while the schemas differ (a column added on one
     * site ahead of a migration), and that must not stop a controller that has nothing to sync that way.
     */
    public synchronized void start() {
        Set<SiteId> writing = writers().stream().map(Writer::writer).collect(Collectors.toSet());
        for (SiteId writer : List.of(first, second)) {
            SiteId other = writer.equals(first) ? second : first;
            if (writing.contains(writer) && !streams.containsKey(writer)) {
                startRecorded(writer, other);
            } else if (writing.contains(writer) && !watches.containsKey(writer)) {
                // A retry after the watch failed to start: the stream runs on, the watch is started alone.
                watches.put(writer, watch(scope(writer, other), writer, other, Optional.empty(),
                        lastSwitchTo(writer).map(e -> CapturePosition.parse(e.watchFrom()))));
            }
        }
    }

    /** The shared-table stream from {@code writer}, if one runs. */
    public Optional<TenantStream> stream(SiteId writer) {
        return Optional.ofNullable(streams.get(writer));
    }

    /**
     * {@code writer -> other}'s scope with every shared table's writer as it is now: switched tables are written on
     * their new site.
     */
    private TenantScope scope(SiteId source, SiteId target) {
        TenantScope scope = data.scope(source, target);
        List<TableScope> tables = new ArrayList<>();
        for (TableScope t : scope.tables()) {
            tables.add(t.tableClass() instanceof TableClass.Shared s ? new TableScope(t.table(),
                    new TableClass.Shared(writers.writer(t.name(), s.writer())), t.rowKey(), t.warnings()) : t);
        }
        return new TenantScope(scope.schema(), scope.mode(), tables, scope.skipped());
    }

    /**
     * Starts a direction as this process finds it: a stream without a checkpoint and a watch without a saved
     * position start from the positions the last switch to {@code writer} recorded with it (a crash between
     * recording the new writer and starting its streams left neither), rather than from a copy and the present,
     * which would miss the updates and deletes made in between. A recorded stream position the capture can no
     * longer read from (retention) falls back to the copy, with an error.
     */
    private void startRecorded(SiteId writer, SiteId other) {
        Optional<SharedWriters.Entry> recorded = lastSwitchTo(writer);
        Optional<CapturePosition> watchFrom = recorded.map(e -> CapturePosition.parse(e.watchFrom()));
        scope(writer, other); // a scope that does not hold is the operator's to fix, not a reason to copy instead
        try {
            startDirection(writer, other, recorded.map(e -> CapturePosition.parse(e.streamFrom())), Optional.empty(),
                    watchFrom);
        } catch (UserException e) {
            if (recorded.isEmpty() || streams.containsKey(writer)) {
                throw e;
            }
            log.error("the shared-table stream from {} cannot start at {}, recorded by the switch of {} at {} ({}); it"
                    + " copies the rows {} lacks and streams from now on, so updates and deletes made on {} since then are"
                    + " not carried: compare the tables ({})", writer, recorded.get().streamFrom(), recorded.get().table(),
                    recorded.get().at(), e.getMessage(), other, writer, compareCommand(writer, other));
            startDirection(writer, other, Optional.empty(), Optional.empty(), watchFrom);
        }
    }

    /** The command that compares a shared table between its writer and the other site, for the log's advice. */
    private static String compareCommand(SiteId writer, SiteId other) {
        return "hikkoshi data verify -c FILE --all --table NAME --from " + writer + " --to " + other;
    }

    /** The latest switch that made {@code writer} the writer of a shared table, if any. */
    private Optional<SharedWriters.Entry> lastSwitchTo(SiteId writer) {
        return writers.entries().values().stream().filter(e -> e.writer().equals(writer))
                .max(java.util.Comparator.comparing(SharedWriters.Entry::at));
    }

    /**
     * Starts the stream {@code writer -> other} (from its checkpoint; else from {@code streamFrom}; else after
     * copying the tables, from the position noted before the copy) and the watch of {@code other} (see
     * {@link #watch}).
     */
    private void startDirection(SiteId writer, SiteId other, Optional<CapturePosition> streamFrom,
                                Optional<CapturePosition> watchFrom, Optional<CapturePosition> watchFallback) {
        SiteDatabase source = data.database(writer);
        if (source.config().capture() == CaptureMode.DIFFERENTIAL || data.database(other).config().capture()
                == CaptureMode.DIFFERENTIAL) {
            log.warn("shared tables written on {} are not synced to {}: a differential capture compares one tenant's"
                    + " rows, not shared tables (use binlog or triggers on both sites)", writer, other);
            return;
        }
        TenantScope scope = scope(writer, other);
        Schema targetSchema = data.targetSchema(writer, other);
        TenantStream.Setup setup = SharedTableStream.setup(writer, other, ScopeCopy.endpoint(source),
                ScopeCopy.endpoint(data.database(other)), scope, targetSchema, source.config()::charsetOverride,
                data.streamSettings());
        CapturePosition from;
        if (hasCheckpoint(setup)) {
            from = data.position(SHARED, writer, other); // unused: the stream resumes from its checkpoint
        } else if (streamFrom.isPresent()) {
            from = streamFrom.get();
        } else {
            // Held for the stream while the copy runs: another stream's drain would purge past it otherwise.
            from = data.notePosition(SHARED, writer, other, setup.name());
            copy(scope, writer, other, targetSchema);
        }
        TenantStream stream = SharedTableStream.start(setup, data.capture(SHARED, writer, other), from);
        data.streams().add(stream);
        streams.put(writer, stream);
        // A failure here is retried by start(), for the watch alone.
        watches.put(writer, watch(scope, writer, other, watchFrom, watchFallback));
        log.info("shared tables {} synced from {} to {}, and watched on {}", SharedTableStream.writtenOn(scope, writer)
                .stream().map(TableScope::name).toList(), writer, other, other);
    }

    /**
     * The watch of {@code other} against {@code writer}: from {@code watchFrom} (noted by a switch in this process);
     * else where it had read to before this process started, so the writes made there while the controller was down
     * are reported too; else from {@code fallback} (recorded by the last switch); else (its first start, or a
     * position the capture can no longer read from) from the present.
     */
    private BypassWatch watch(TenantScope scope, SiteId writer, SiteId other, Optional<CapturePosition> watchFrom,
                              Optional<CapturePosition> fallback) {
        ChangeCapture capture = data.capture(SHARED, other, writer);
        WatchPositions positions = SharedTableStream.watchPositions(data.database(writer).dataSource(), scope.schema(),
                writer, other, capture.mode());
        if (watchFrom.isPresent()) {
            return SharedTableStream.watchNonWriter(scope, writer, other, capture, watchFrom.get(), positions, listener);
        }
        Optional<CapturePosition> saved;
        try {
            saved = positions.resumeFrom();
        } catch (SQLException e) {
            throw new DatabaseException("reading where the watch of the shared tables on " + other + " stopped",
                    data.database(writer).describe(), e);
        }
        Optional<CapturePosition> from = saved.or(() -> fallback);
        if (from.isPresent()) {
            try {
                BypassWatch resumed = SharedTableStream.watchNonWriter(scope, writer, other, capture, from.get(),
                        positions, listener);
                log.info("the watch of the shared tables on {} resumed {}, at {}", other, saved.isPresent()
                        ? "where it had read to" : "where the last switch to " + writer + " noted", from.get().text());
                return resumed;
            } catch (UserException e) {
                // The capture cannot read from there any more (the binlog was purged past it): from now on, said.
                BypassWatch fromNow = SharedTableStream.watchNonWriter(scope, writer, other, capture,
                        data.position(SHARED, other, writer), positions, listener);
                List<String> tables = SharedTableStream.writtenOn(scope, writer).stream().map(TableScope::name).toList();
                log.error("the watch of the shared tables on {} could not resume at {} ({}); it watches from now on, so"
                        + " writes made there to {} since that position are not checked: compare each with its writer {}"
                        + " ({})", other, from.get().text(), e.getMessage(), tables, writer, compareCommand(writer, other));
                return fromNow;
            }
        }
        return SharedTableStream.watchNonWriter(scope, writer, other, capture, data.position(SHARED, other, writer),
                positions, listener);
    }

    private boolean hasCheckpoint(TenantStream.Setup setup) {
        SiteDatabase target = data.database(setup.id().to());
        try (Connection c = target.dataSource().getConnection()) {
            return StreamCheckpoints.all(c).stream().anyMatch(cp -> cp.stream().equals(setup.name()));
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
                return false; // no checkpoint table yet
            }
            throw new DatabaseException("reading the checkpoint of stream " + setup.id(), target.describe(), e);
        }
    }

    /** Copies every row of the writer's shared tables that the other site lacks (rows already there are kept). */
    private void copy(TenantScope scope, SiteId writer, SiteId other, Schema targetSchema) {
        List<CopyTable> tables = SharedTableStream.writtenOn(scope, writer).stream().map(t -> new CopyTable(t.table(),
                targetSchema.table(t.name()).orElseThrow(() -> new UserException("shared table " + t.name()
                        + " does not exist on site " + other, "create it there (hikkoshi data verify --schema "
                        + "--create-missing)")), t.rowKey(), TenantRows.ALL)).toList();
        try {
            new CopyJob(ScopeCopy.endpoint(data.database(writer)), ScopeCopy.endpoint(data.database(other)), tables,
                    Optional.empty(), "shared-tables:" + writer + "->" + other, CopySettings.defaults(),
                    data.database(writer).config()::charsetOverride, CopyHooks.NONE).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying the shared tables from " + writer, e);
        }
    }

    /**
     * Moves {@code table}'s single writer to {@code newWriter}: freezes the writes to it on the old writer, drains
     * the stream, verifies the table equal on both sites, records the new writer (durable), restarts the streams and
     * watches in their new directions, and releases. Refusals (not a shared table, the same writer, an unknown
     * site, a stream that is not running, the lock not granted, the table not equal) change nothing.
     */
    public synchronized Switched switchWriter(String table, SiteId newWriter, String by) {
        TableScope shared = data.scope(first, second).table(table).filter(t -> t.tableClass() instanceof TableClass.Shared)
                .orElseThrow(() -> new UserException("shared switch refused: " + table + " is not a shared table",
                        "the shared tables are " + writers().stream().map(Writer::table).toList()
                                + " (data.tables.NAME.shared in the config)"));
        SiteId oldWriter = writers.writer(table, ((TableClass.Shared) shared.tableClass()).writer());
        if (!newWriter.equals(first) && !newWriter.equals(second)) {
            throw new UserException("shared switch refused: site " + newWriter + " is not one of the plan's sites ("
                    + first + ", " + second + ")", "name " + (oldWriter.equals(first) ? second : first));
        }
        if (newWriter.equals(oldWriter)) {
            throw new UserException("shared switch refused: " + table + " is already written on " + newWriter,
                    "nothing to do; hikkoshi status shows the shared tables' writers");
        }
        TenantStream stream = streams.get(oldWriter);
        if (stream == null || stream.state() == StreamState.FAILED || stream.state() == StreamState.STOPPED
                || stream.state() == StreamState.CLOSED) {
            throw new UserException("shared switch refused: the shared-table stream from " + oldWriter + " to "
                    + newWriter + " is " + (stream == null ? "not running" : stream.state() + stream.status().problem()
                    .map(p -> ": " + p).orElse("")), "it must carry every change of " + table + " before the "
                    + "writer moves: the controller's log says why (a stream that could not start is tried again every 30 s;"
                    + " one that failed runs again after a controller restart)");
        }
        MDC.put("component", "shared-switch");
        SiteDatabase old = data.database(oldWriter);
        try (Connection lock = old.dataSource().getConnection(); Statement s = lock.createStatement()) {
            lock.setAutoCommit(true); // with autocommit off, InnoDB would also take a table lock and hold it longer
            s.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS);
            Instant frozenAt = clock.instant();
            try {
                s.execute("LOCK TABLES " + SqlIdentifier.qualified(old.schema(), table) + " READ");
            } catch (SQLException e) {
                throw new UserException("shared switch refused: the writes to " + table + " on " + oldWriter + " could"
                        + " not be frozen within " + LOCK_WAIT_SECONDS + " s: " + e.getMessage() + " (SQLSTATE "
                        + e.getSQLState() + ")", "a long transaction holds the table; try again when it ended", e);
            }
            try {
                log.info("writes to {} on {} frozen for the switch to {}", table, oldWriter, newWriter);
                if (!stream.awaitCaughtUp(drainTimeout)) {
                    throw new UserException("shared switch refused: the stream from " + oldWriter + " did not catch up "
                            + "within " + drainTimeout.toSeconds() + " s (" + stream.status().lagSeconds()
                            + " s behind)", "nothing was switched; try again when hikkoshi data status shows it "
                            + "streaming");
                }
                VerifyReport report = verify(shared, oldWriter, newWriter);
                if (!report.equal()) {
                    throw new UserException("shared switch refused: " + table + " differs between " + oldWriter
                            + " and " + newWriter + " after the drain: " + report.differences().size() + " rows ("
                            + report.differences().stream().limit(5).map(Object::toString).toList() + ")",
                            "nothing was switched; repair that table alone (hikkoshi data verify -c FILE --all --table "
                                    + table + " --from " + oldWriter + " --to " + newWriter + " --repair) and try again");
                }
                CapturePosition newFrom = data.position(SHARED, newWriter, oldWriter);
                CapturePosition oldFrom = data.position(SHARED, oldWriter, newWriter);
                boolean newDirectionRan = streams.containsKey(newWriter);
                writers.save(new SharedWriters.Entry(table, newWriter, newFrom.text(), oldFrom.text(), by,
                        clock.instant()));
                restart(newWriter, newDirectionRan, newFrom, oldFrom);
                Duration frozen = Duration.between(frozenAt, clock.instant());
                log.info("{} is written on {} now (was {}): {} rows verified equal, writes frozen for {} ms", table,
                        newWriter, oldWriter, report.sourceRows(), frozen.toMillis());
                return new Switched(table, oldWriter, newWriter, report.sourceRows(), frozen);
            } finally {
                s.execute("UNLOCK TABLES");
            }
        } catch (SQLException e) {
            throw new DatabaseException("freezing the writes to " + table + " for the shared switch", old.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the shared switch of " + table, e);
        } finally {
            MDC.remove("component");
        }
    }

    private VerifyReport verify(TableScope table, SiteId source, SiteId target) {
        SiteDatabase s = data.database(source);
        SiteDatabase t = data.database(target);
        TenantScope one = new TenantScope(data.scope(source, target).schema(), data.scope(source, target).mode(),
                List.of(table), List.of());
        return new Verifier(SiteCaptures.side(s), SiteCaptures.side(t), Verifier.Options.defaults())
                .verify(VerifyTables.allRows(one, data.targetSchema(source, target), s.config(), t.config()));
    }

    /**
     * After a switch: every stream and watch stopped and started again as the writers are now. The new writer's
     * direction starts from the position noted during the freeze (its old checkpoint, from an earlier time it was
     * a writer, is forgotten first unless its stream ran until now); the old writer's watch from the position noted
     * there.
     */
    private void restart(SiteId newWriter, boolean newDirectionRan, CapturePosition newFrom, CapturePosition oldFrom) {
        SiteId oldWriter = newWriter.equals(first) ? second : first;
        stopAll();
        if (!newDirectionRan) {
            TenantStream.Setup setup = SharedTableStream.setup(newWriter, oldWriter,
                    ScopeCopy.endpoint(data.database(newWriter)), ScopeCopy.endpoint(data.database(oldWriter)),
                    scope(newWriter, oldWriter), data.targetSchema(newWriter, oldWriter),
                    data.database(newWriter).config()::charsetOverride, data.streamSettings());
            forgetCheckpoint(setup);
        }
        startDirection(newWriter, oldWriter, Optional.of(newFrom), Optional.of(oldFrom), Optional.empty());
        if (!SharedTableStream.writtenOn(scope(oldWriter, newWriter), oldWriter).isEmpty()) {
            startRecorded(oldWriter, newWriter);
        } else {
            // No table is written on the old writer any more: its stream and the watch of the new writer's site
            // stop for good, and must not hold those sites' trigger change logs (their purge, and the capture at a
            // finalize) from here on.
            data.forgetConsumer(oldWriter, () -> scope(oldWriter, newWriter), () -> SharedTableStream.setup(oldWriter,
                    newWriter, ScopeCopy.endpoint(data.database(oldWriter)), ScopeCopy.endpoint(data.database(newWriter)),
                    scope(oldWriter, newWriter), data.targetSchema(oldWriter, newWriter),
                    data.database(oldWriter).config()::charsetOverride, data.streamSettings()).name());
            data.forgetConsumer(newWriter, () -> scope(newWriter, oldWriter),
                    () -> BypassWatch.sharedTablesConsumer(newWriter));
            try {
                SharedTableStream.watchPositions(data.database(oldWriter).dataSource(), scope(oldWriter, newWriter)
                        .schema(), oldWriter, newWriter, data.capture(SHARED, newWriter, oldWriter).mode()).forget();
            } catch (SQLException | RuntimeException e) {
                log.warn("could not forget how far the watch of the shared tables on {} read, on {} ({}); if {} is"
                        + " the writer again, that watch resumes there until a switch starts it anew", newWriter,
                        data.database(oldWriter).describe(), e.getMessage(), oldWriter);
            }
        }
    }

    private void forgetCheckpoint(TenantStream.Setup setup) {
        SiteDatabase target = data.database(setup.id().to());
        try (Connection c = target.dataSource().getConnection()) {
            c.setAutoCommit(true);
            StreamCheckpoints.forget(c, setup.name());
        } catch (SQLException e) {
            throw new DatabaseException("forgetting the checkpoint of stream " + setup.id(), target.describe(), e);
        }
    }

    private void stopAll() {
        watches.values().forEach(BypassWatch::close);
        watches.clear();
        for (TenantStream s : streams.values()) {
            s.close();
            data.streams().remove(s.id());
        }
        streams.clear();
    }

    @Override
    public synchronized void close() {
        stopAll();
    }
}
