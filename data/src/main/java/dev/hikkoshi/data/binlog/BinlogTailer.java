package dev.hikkoshi.data.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.OwnWriteMarker;
import dev.hikkoshi.data.config.Password;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.ServerFlavour;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Binlog change capture: ONE replication connection to a source server, whose transactions are fanned out to
 * every subscription (each with its own tables and position). The data engine opens one per source server with
 * {@link #open} and subscribes each stream that reads that server; a second tailer on the same server in this
 * process is refused.
 *
 * <p>Concurrency: one thread ({@code hikkoshi-binlog-SITE}) reads the connection, assembles transactions
 * ({@link TransactionAssembler}) and calls the sinks in commit order. A slow sink blocks that thread and thus
 * the socket: memory stays bounded by one transaction's in-scope changes. The connection starts from the
 * oldest position any subscription needs; each subscription skips what it already has, so a subscription that
 * arrives with an older position, or reads a table no current subscription reads, makes the tailer reconnect
 * from there without disturbing the others (they receive nothing twice). A lost connection is retried from the
 * oldest delivered position; when that fails, or the stream cannot be read, each subscription is stopped with
 * {@link CaptureStop.Failed}: the sinks are the failures' one owner.
 */
public final class BinlogTailer implements ChangeCapture {
    private static final Logger log = LoggerFactory.getLogger(BinlogTailer.class);
    /** The server_id used when the site's database sets no {@code server-id}: 0x48494B01, "HIK" and 1. */
    public static final long DEFAULT_SERVER_ID = 0x48494B01L;
    private static final int MAX_RECONNECTS = 5;
    private static final long MAX_TRANSACTION_CHANGES = 1_000_000;

    private final SiteDatabase db;
    private final long serverId;
    private final BinlogPreconditions preconditions;
    private final boolean mariadb;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, RowDecoder> decoders = new ConcurrentHashMap<>();
    private final List<TailerSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private CapturePosition.BinlogFile processedFile;
    private Optional<GtidState> processedGtid = Optional.empty();
    /** Where the current connection started reading: until a transaction ends, the tailer is (at least) there. */
    private Optional<StartPoint> connectedFrom = Optional.empty();
    private long generation;
    private Thread thread;
    private volatile ReplicationClient client;
    private volatile boolean closed;
    private volatile boolean restartRequested;

    private BinlogTailer(SiteDatabase db, Schema schema, long serverId) {
        this.db = db;
        this.serverId = serverId;
        this.preconditions = new BinlogPreconditions(db);
        this.mariadb = db.serverInfo().flavour() == ServerFlavour.MARIADB;
        schemas.put(schema.name().toLowerCase(Locale.ROOT), schema);
    }

    /**
     * Checks the source's preconditions (binlog on, ROW, FULL row image, privileges, a server_id no registered
     * replica uses) and claims the server for this process; throws a {@link UserException} naming the setting
     * and the fix. Connects on the first subscription. {@code schema} is the inspected source schema.
     */
    public static BinlogTailer open(SiteDatabase source, Schema schema) {
        long serverId = source.config().serverId().orElse(DEFAULT_SERVER_ID);
        BinlogPreconditions preconditions = new BinlogPreconditions(source);
        preconditions.checkServer();
        preconditions.checkServerId(serverId);
        ServerIdRegistry.claim(source.config().url().address(), serverId, source.describe(),
                "sites." + source.config().site() + ".database.server-id");
        return new BinlogTailer(source, schema, serverId);
    }

    @Override
    public String mode() {
        return "binlog";
    }

    public long serverId() {
        return serverId;
    }

    /** MariaDB: its GTID position ({@code @@gtid_binlog_pos}), which survives binlog rotation; MySQL: file/pos. */
    @Override
    public CapturePosition currentPosition() {
        if (!mariadb) {
            return currentFilePosition();
        }
        return new CapturePosition.Gtid(preconditions.variables().getOrDefault("gtid_binlog_pos", ""));
    }

    /** The end of the source's current binlog ({@code SHOW MASTER STATUS}; {@code SHOW BINARY LOG STATUS} on MySQL 8.2+). */
    public CapturePosition.BinlogFile currentFilePosition() {
        return preconditions.filePosition();
    }

    /**
     * Delivers every transaction after {@code from}. {@code tables} are names in the source's schema, or
     * {@code schema.table} for another schema of the server (hikkoshi's own). Throws a {@link UserException}
     * when the position is no longer (or not) in the server's binlogs, or a table is unknown.
     */
    @Override
    public Subscription subscribe(Set<String> tables, CapturePosition from, ChangeSink sink) {
        if (closed) {
            throw new IllegalStateException("the binlog tailer of " + db.describe() + " is closed");
        }
        if (from instanceof CapturePosition.Gtid && !mariadb) {
            throw new UserException("position " + from.text() + " is a MariaDB GTID but " + db.describe() + " runs "
                    + db.serverInfo().product(), "start the stream from a binlog file:position on this server");
        }
        Map<String, String> qualified = new LinkedHashMap<>();
        for (String t : tables) {
            qualified.put(qualify(t), t);
        }
        preconditions.checkRetention(from);
        synchronized (lock) {
            boolean restart = mustReconnect(from, qualified.keySet());
            TailerSubscription s = new TailerSubscription(qualified, from, sink, restart ? generation + 1 : generation,
                    subscriptions::remove);
            subscriptions.add(s);
            if (thread == null || !thread.isAlive()) {
                // First subscription, or the tailer stopped on a failure: (re)start reading.
                thread = new Thread(this::run, "hikkoshi-binlog-" + db.config().site());
                thread.setDaemon(true);
                thread.start();
            } else if (restart) {
                log.info("{}: a subscription starts at {}: reconnecting from the oldest position", db.describe(), from.text());
                restartRequested = true;
                ReplicationClient c = client;
                if (c != null) {
                    c.dropConnection();
                }
            }
            return s;
        }
    }

    /** Replaces the inspected schema (after {@code hikkoshi data resume} re-inspected the source). */
    public void refreshSchema(Schema schema) {
        schemas.put(schema.name().toLowerCase(Locale.ROOT), schema);
        decoders.clear();
    }

    @Override
    public void close() {
        closed = true;
        ReplicationClient c = client;
        if (c != null) {
            c.dropConnection();
        }
        Thread t;
        synchronized (lock) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ServerIdRegistry.release(db.config().url().address());
    }

    private String qualify(String table) {
        int dot = table.indexOf('.');
        String schemaName = dot < 0 ? db.schema() : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        Schema schema = schemas.computeIfAbsent(schemaName.toLowerCase(Locale.ROOT), k -> db.inspector().inspect(schemaName));
        String actual = schema.table(name).map(t -> t.name()).orElseThrow(() -> new UserException(
                "table " + name + " is not in schema " + schemaName + " of " + db.describe(),
                "check the table names of the stream against the source's schema"));
        return (schemaName + "." + actual).toLowerCase(Locale.ROOT);
    }

    /**
     * True when a subscription from {@code from} to {@code tables} cannot join the current connection where it is,
     * so the tailer must reconnect from the oldest position (the other subscriptions skip what they already have):
     * <ul>
     *   <li>when {@code from} is before what the connection has already read or started from (an idle connection
     *   counts too: it started at the other subscriptions' positions, and one arriving with an older position
     *   would otherwise miss what lies between), or the two notations cannot be compared;</li>
     *   <li>when no subscription already reads one of {@code tables}: the connection may be in the middle of a
     *   transaction whose earlier rows of that table it passed over (rows are decoded only for tables someone
     *   reads), and joining there would deliver the transaction without them and move the new subscription past
     *   it. RunCrashIT lost an order and its items that way: a tenant stream restarting from the same checkpoint
     *   as the shared tables' stream joined while the transaction was being read.</li>
     * </ul>
     * Under lock.
     */
    private boolean mustReconnect(CapturePosition from, Set<String> tables) {
        if (connectedFrom.isEmpty()) {
            return false;  // not reading yet: the next connection starts from every subscription's position
        }
        if (restartRequested) {
            return true;  // a reconnect is coming: join it rather than the connection it replaces
        }
        // Readers of this connection from its start (or that joined it by this rule) decoded all of every
        // transaction's rows of their tables; one waiting for the next connection may have arrived halfway.
        if (!tables.stream().allMatch(t -> subscriptions.stream().anyMatch(s -> s.activeIn(generation) && s.wants(t)))) {
            return true;
        }
        StartPoint start = connectedFrom.get();
        if (from instanceof CapturePosition.BinlogFile f) {
            CapturePosition.BinlogFile reached = processedFile != null ? processedFile : start.file().orElse(null);
            return reached == null || FileOrder.ORDER.compare(f, reached) < 0;
        }
        GtidState state = GtidState.parse(((CapturePosition.Gtid) from).gtidSet());
        Optional<GtidState> reached = processedGtid.isPresent() ? processedGtid : start.gtid();
        return reached.map(p -> p.domains().values().stream().anyMatch(g -> !state.covers(g))).orElse(true);
    }

    private void run() {
        MDC.put("component", "binlog");
        int failures = 0;
        try {
            while (!closed) {
                StartPoint start;
                long gen;
                synchronized (lock) {
                    start = startPoint();
                    connectedFrom = Optional.of(start);
                    processedFile = null;
                    processedGtid = Optional.empty();
                    gen = ++generation;
                    restartRequested = false;
                }
                Attempt attempt = connectOnce(start, gen);
                if (closed) {
                    return;
                }
                if (attempt.fatal != null) {
                    failAll(attempt.fatal, attempt.cause);
                    return;
                }
                if (restartRequested) {
                    failures = 0;
                    continue;
                }
                failures = attempt.receivedEvents ? 1 : failures + 1;
                if (failures > MAX_RECONNECTS) {
                    failAll("lost the binlog connection to " + db.describe() + " and " + MAX_RECONNECTS
                            + " reconnects failed: " + attempt.lastError, null);
                    return;
                }
                log.warn("{}: binlog connection lost ({}); reconnecting from the last delivered position, attempt {} of {}",
                        db.describe(), attempt.lastError, failures, MAX_RECONNECTS);
                Thread.sleep(250L << failures);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failAll("the binlog tailer of " + db.describe() + " failed: " + e.getMessage(), e);
        } finally {
            MDC.remove("component");
        }
    }

    /** What one connection ended with. */
    private static final class Attempt {
        volatile String fatal;
        volatile Throwable cause;
        volatile String lastError = "the source closed the connection";
        volatile boolean receivedEvents;
        volatile boolean stopping;
    }

    private Attempt connectOnce(StartPoint start, long gen) {
        Attempt attempt = new Attempt();
        ReplicationClient c = newClient(start);
        TransactionAssembler assembler = new TransactionAssembler(new AssemblerView(gen), start.file().map(
                CapturePosition.BinlogFile::file).orElse(""), start.gtid());
        c.registerEventListener(event -> {
            if (attempt.stopping) {
                return;
            }
            if (restartRequested) {
                // A subscription asked for a reconnect while this connection was being set up, when dropping it
                // could not reach the socket yet: end it at its first event instead (a heartbeat comes every 5 s).
                attempt.stopping = true;
                c.dropConnection();
                return;
            }
            attempt.receivedEvents = true;
            try {
                assembler.onEvent(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                attempt.stopping = true;
                c.dropConnection();
            } catch (RuntimeException e) {
                attempt.stopping = true;
                attempt.fatal = "cannot read the binlog of " + db.describe() + ": " + e;
                attempt.cause = e;
                c.dropConnection();
            }
        });
        c.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient client, Exception ex) {
                attempt.lastError = String.valueOf(ex.getMessage());
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient client, Exception ex) {
                // The library would skip the event and go on: never a silent skip.
                attempt.stopping = true;
                attempt.fatal = "cannot decode a binlog event of " + db.describe() + ": " + ex.getMessage();
                attempt.cause = ex;
                c.dropConnection();
            }
        });
        client = c;
        if (closed || restartRequested) {
            return attempt;
        }
        log.info("{}: reading the binlog from {} as server_id {}", db.describe(),
                start.byGtid() ? "gtid " + start.gtid().map(GtidState::text).orElse("") : start.file().get().text(), serverId);
        try {
            c.connect();
        } catch (ServerException e) {
            attempt.fatal = "the source refused the binlog dump: " + e.getMessage() + " (error " + e.getErrorCode()
                    + ", " + db.describe() + ")";
            attempt.cause = e;
        } catch (IOException e) {
            attempt.lastError = String.valueOf(e.getMessage());
        } finally {
            c.dropConnection();
        }
        return attempt;
    }

    private ReplicationClient newClient(StartPoint start) {
        ReplicationClient c = new ReplicationClient(db.config().url().host(), db.config().url().port(), db.config().user(),
                db.config().password().map(Password::value).orElse(""));
        c.setServerId(serverId);
        c.setKeepAlive(false);
        c.setHeartbeatInterval(5_000);
        c.setConnectTimeout(10_000);
        c.setEventDeserializer(EventDecoding.deserializer(map -> !OwnWriteMarker.isMarker(map.getDatabase(), map.getTable())
                && !readByAny((map.getDatabase() + "." + map.getTable()).toLowerCase(Locale.ROOT))));
        c.setSSLMode(switch (db.config().tls().mode()) {
            case DISABLE -> SSLMode.DISABLED;
            case TRUST -> SSLMode.REQUIRED;
            case VERIFY_CA -> SSLMode.VERIFY_CA;
            case VERIFY_FULL -> SSLMode.VERIFY_IDENTITY;
        });
        if (start.byGtid()) {
            c.setGtidSet(start.gtid().map(GtidState::text).orElse(""));
        } else {
            c.setBinlogFilename(start.file().get().file());
            c.setBinlogPosition(start.file().get().position());
        }
        return c;
    }

    /** Where a connection starts: by GTID when a subscription counts in GTIDs, else the oldest file/pos. */
    private record StartPoint(Optional<CapturePosition.BinlogFile> file, Optional<GtidState> gtid, boolean byGtid) {
    }

    /** Under lock: the oldest position of every open subscription (or where the tailer is, when there is none). */
    private StartPoint startPoint() {
        List<CapturePosition> positions = new ArrayList<>();
        subscriptions.forEach(s -> positions.add(s.position()));
        if (positions.isEmpty()) {
            positions.add(processedFile != null ? processedFile : currentFilePosition());
        }
        if (positions.stream().noneMatch(p -> p instanceof CapturePosition.Gtid)) {
            CapturePosition.BinlogFile oldest = positions.stream().map(p -> (CapturePosition.BinlogFile) p)
                    .min(FileOrder.ORDER).orElseThrow();
            return new StartPoint(Optional.of(oldest),
                    mariadb ? Optional.of(preconditions.gtidAt(oldest.file(), oldest.position())) : Optional.empty(), false);
        }
        GtidState oldest = null;
        for (CapturePosition p : positions) {
            GtidState state = p instanceof CapturePosition.Gtid g ? GtidState.parse(g.gtidSet())
                    : preconditions.gtidAt(((CapturePosition.BinlogFile) p).file(), ((CapturePosition.BinlogFile) p).position());
            oldest = oldest == null ? state : oldest.oldest(state);
        }
        return new StartPoint(Optional.empty(), Optional.of(oldest), true);
    }

    private void failAll(String reason, Throwable cause) {
        log.error("{}", reason, cause);
        for (TailerSubscription s : subscriptions) {
            s.stop(new CaptureStop.Failed(reason, cause));
        }
    }

    /** The tailer as one connection's assembler sees it. */
    private final class AssemblerView implements TransactionAssembler.Tailer {
        private final long gen;

        AssemblerView(long gen) {
            this.gen = gen;
        }

        @Override
        public List<TailerSubscription> noteEnd(CapturePosition.BinlogFile end, Optional<GtidState> gtidAfter) {
            synchronized (lock) {
                processedFile = end;
                processedGtid = gtidAfter;
                return subscriptions.stream().filter(s -> s.activeIn(gen)).toList();
            }
        }

        @Override
        public List<TailerSubscription> allSubscriptions() {
            return subscriptions.stream().filter(s -> s.activeIn(gen)).toList();
        }

        @Override
        public Optional<RowDecoder> decoder(String qualifiedTable) {
            if (!readByAny(qualifiedTable)) {
                return Optional.empty();
            }
            return Optional.of(decoders.computeIfAbsent(qualifiedTable, q -> {
                int dot = q.indexOf('.');
                Schema schema = schemas.get(q.substring(0, dot));
                return new RowDecoder(q, schema.table(q.substring(dot + 1)).orElseThrow(),
                        (table, column) -> db.config().charsetOverride(table, column));
            }));
        }

        @Override
        public long maxTransactionChanges() {
            return MAX_TRANSACTION_CHANGES;
        }
    }

    /** Whether a subscription reads {@code qualifiedTable} ({@code schema.table}, lower case): its rows are decoded. */
    private boolean readByAny(String qualifiedTable) {
        return subscriptions.stream().anyMatch(s -> s.wants(qualifiedTable));
    }
}
