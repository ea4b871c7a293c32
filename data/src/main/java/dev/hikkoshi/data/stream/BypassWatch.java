package dev.hikkoshi.data.stream;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.copy.RowKey;
import dev.hikkoshi.data.stream.StreamTables.StreamTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The split-brain watch: after a tenant moved, reads the old site's changes through its capture and reports
 * every change of the moved tenant's rows that does not carry hikkoshi's marker ({@link ChangeTransaction#ownWrite()}
 * false: the reverse sync's, repair's and purge's writes carry it) as a {@link BypassWrite} with table and key;
 * writes to {@code sharedTables} (reference data whose writer is the other site) are reported the same way, with
 * no tenant. The listener (the cutover engine, which raises it as CRITICAL and pauses the plan) is called on the
 * capture's thread. In differential mode the capture is a periodic checksum of the tenant's rows, whose cost
 * the differential capture states. A watch records on another site how far it has read ({@link WatchPositions}),
 * so that a restarted one neither reports the same writes again nor skips the ones made while it was down.
 */
public final class BypassWatch implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BypassWatch.class);
    /**
     * How often a watch with nothing to report saves its position: a restart reads again at most this much of the
     * watched site's history (reporting nothing twice), and the save is a round trip to another site made on the
     * capture's thread, which feeds every stream of that server.
     */
    private static final long SAVE_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    private final SiteId site;
    private final Optional<dev.hikkoshi.core.tenant.TenantId> tenant;
    private final Optional<StreamTables> tables;
    private final Optional<TenantFilter> filter;
    private final Set<String> sharedTables;
    private final Consumer<BypassWrite> listener;
    private final Optional<Connection> watched;
    /** Where the watch records how far it has read. */
    private final WatchPositions positions;
    /** When {@link #positions} was last saved (nanoTime), for {@link #SAVE_EVERY_NANOS}. */
    private volatile long savedAt = System.nanoTime();
    private final String name;
    private final ChangeCapture.Subscription subscription;
    private volatile CaptureStop stop;
    private volatile boolean closed;

    /**
     * Watches the old site ({@code setup.source()}, the site the tenant left) from {@code from} (noted at the
     * switch); {@code setup.target()} is the new site.
     */
    public BypassWatch(TenantStream.Setup setup, SiteId oldSite, Set<String> sharedTables, ChangeCapture capture,
                       CapturePosition from, Consumer<BypassWrite> listener) {
        this(oldSite, Optional.of(setup), sharedTables, capture, from, positionsOf(setup, from), listener);
    }

    /**
     * Watches only {@code sharedTables} on {@code site}, a site that is not their writer, from {@code from}: every
     * write there that hikkoshi did not make is reported, without a tenant ({@link SharedTableStream#watchNonWriter});
     * how far it read is saved in {@code positions}.
     */
    static BypassWatch sharedTables(SiteId site, Set<String> sharedTables, ChangeCapture capture, CapturePosition from,
                                    WatchPositions positions, Consumer<BypassWrite> listener) {
        return new BypassWatch(site, Optional.empty(), sharedTables, capture, from, positions, listener);
    }

    /** A moved tenant's watch keeps its position on the new site, under the position noted at the switch. */
    private static WatchPositions positionsOf(TenantStream.Setup setup, CapturePosition noted) {
        return new WatchPositions(setup.target().dataSource(), consumer(setup), noted.text());
    }

    private BypassWatch(SiteId site, Optional<TenantStream.Setup> moved, Set<String> sharedTables,
                        ChangeCapture capture, CapturePosition from, WatchPositions positions,
                        Consumer<BypassWrite> listener) {
        this.site = Objects.requireNonNull(site, "site");
        this.tenant = moved.map(s -> s.id().tenant());
        this.listener = Objects.requireNonNull(listener, "listener");
        this.sharedTables = sharedTables.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.tables = moved.map(setup -> new StreamTables(setup.scope(), setup.targetSchema(), setup.source(),
                setup.target(), setup.tenantDatabaseId(), setup.overrides()));
        this.filter = moved.map(setup -> new TenantFilter(tables.orElseThrow(), setup.source().dataSource(),
                setup.source().schema(), setup.target().schema(), setup.tenantDatabaseId()));
        this.positions = Objects.requireNonNull(positions, "positions");
        // A moved tenant's watch resumes by itself; the shared tables' caller decides (it alone knows a switch).
        CapturePosition start = moved.isPresent() ? resumeFrom(moved.get(), from) : from;
        if (moved.isPresent()) {
            TenantStream.Setup setup = moved.get();
            Connection c = null;
            try {
                c = setup.source().dataSource().getConnection();
                c.setAutoCommit(false);
                filter.orElseThrow().load(c);
            } catch (SQLException e) {
                closeQuietly(c);
                throw new DatabaseException("starting the bypass-write watch of " + setup.id().tenant(),
                        setup.source().describe(), e);
            }
            this.watched = Optional.of(c);
        } else {
            this.watched = Optional.empty();
        }
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        tables.ifPresent(t -> names.addAll(t.names()));
        names.addAll(sharedTables);
        // A watch reads under a name of its own: the position noted for a moved tenant's at the switch is held in the
        // change log (ChangeCapture.notePosition) until the watch is forgotten, in this process or after a restart,
        // and a finalize does not remove a trigger capture that a watch reads (a shared tables' watch runs for good).
        this.name = moved.map(BypassWatch::consumer).orElse(sharedTablesConsumer(site));
        // Saved before the first transaction can be (and saved after it, which this must not overwrite): a restart
        // before that resumes here rather than at the present, which would skip what was written meanwhile, and a
        // row an earlier watch left is replaced.
        save(start);
        try {
            this.subscription = capture.subscribe(name, names, start, new Sink());
        } catch (RuntimeException e) {
            watched.ifPresent(BypassWatch::closeQuietly);
            throw e;
        }
    }

    /**
     * Records that the watch has read up to {@code end}: at its start; after a transaction it reported a write of,
     * once the listener returned (it pauses the plan first), so a crash before this reports them again, never not at
     * all; and otherwise at the first transaction {@link #SAVE_EVERY_NANOS} after the last save. A failure to record
     * is logged: the price is a second report after a restart. Synchronized with {@link #close}: once closed (its
     * row may be forgotten next), nothing is saved.
     */
    private synchronized void save(CapturePosition end) {
        if (closed) {
            return;
        }
        savedAt = System.nanoTime();
        try {
            positions.save(end);
        } catch (SQLException e) {
            log.warn("could not record that the bypass-write watch {} read up to {} ({}); a restarted watch reads"
                    + " from an earlier position and reports what it finds there again", name, end.text(),
                    e.getMessage());
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing a read-only connection: nothing to lose
            }
        }
    }

    /**
     * Where a moved tenant's watch starts: where a watch started from {@code noted} had read to before (this process
     * restarted), else at {@code noted}.
     */
    private CapturePosition resumeFrom(TenantStream.Setup setup, CapturePosition noted) {
        try {
            Optional<CapturePosition> saved = positions.resumeFrom();
            saved.ifPresent(p -> log.info("bypass-write watch of {} resumes where it had read to, at {} (noted at the"
                    + " switch: {})", setup.id().tenant(), p.text(), noted.text()));
            return saved.orElse(noted);
        } catch (SQLException e) {
            throw new DatabaseException("reading where the bypass-write watch of " + setup.id().tenant() + " stopped",
                    setup.target().describe(), e);
        }
    }

    /** The consumer name the shared tables' watch of {@code site} reads under: {@code watch:shared-tables@cloud}. */
    public static String sharedTablesConsumer(SiteId site) {
        return "watch:shared-tables@" + site.value();
    }

    /**
     * Forgets how far the watch of {@code setup}'s tenant reported (its move was finalized or rolled back), on the
     * new site ({@code setup.target()}).
     */
    public static void forgetPosition(TenantStream.Setup setup) throws SQLException {
        new WatchPositions(setup.target().dataSource(), consumer(setup), "").forget();
    }

    /** The consumer name the watch of {@code setup}'s tenant reads under: {@code watch:shop/acme:legacy->cloud}. */
    public static String consumer(TenantStream.Setup setup) {
        return "watch:" + setup.name();
    }

    private final class Sink implements ChangeSink {
        @Override
        public void accept(ChangeTransaction tx) {
            boolean reported = report(tx);
            if (reported || System.nanoTime() - savedAt >= SAVE_EVERY_NANOS) {
                save(tx.end());
            }
            // Reported (the listener pauses the plan before it returns): a trigger change log may purge through it,
            // instead of growing with every write to the old site until the move is finalized. A restarted watch
            // resumes where it had read to (WatchPositions).
            ChangeCapture.Subscription s = subscription;
            if (s != null) {
                s.checkpointed(tx.end());
            }
        }

        /** Reports the transaction's bypassing writes; true when there was one. */
        private boolean report(ChangeTransaction tx) {
            if (tx.ownWrite()) {
                return false;
            }
            boolean any = false;
            Instant now = Instant.now();
            for (RowChange change : tx.changes()) {
                if (sharedTables.contains(change.table().toLowerCase(Locale.ROOT))) {
                    listener.accept(new BypassWrite(Optional.empty(), site, change.table(), keyText(change.key()),
                            tx.end().text(), now));
                    any = true;
                }
            }
            if (filter.isEmpty()) {
                return any;
            }
            for (RowChange change : filter.get().tenantChanges(tx)) {
                StreamTable t = tables.orElseThrow().table(change.table()).orElseThrow();
                Optional<RowKey> key = KeyValues.key(t.source(), t.keyColumns(), change.key());
                String text = key.map(k -> t.sync().describeKey(k)).orElse(keyText(change.key()));
                listener.accept(new BypassWrite(tenant, site, t.name(), text, tx.end().text() + " "
                        + change.kind().name().toLowerCase(Locale.ROOT), now));
                any = true;
            }
            return any;
        }

        @Override
        public void stopped(CaptureStop reason) {
            stop = reason;
        }
    }

    private static String keyText(Map<String, Object> key) {
        return key.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** Why the capture stopped feeding the watch, if it did: a watch that no longer sees changes must be noticed. */
    public Optional<CaptureStop> stopped() {
        return Optional.ofNullable(stop);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        subscription.close();
        watched.ifPresent(BypassWatch::closeQuietly);
    }
}
