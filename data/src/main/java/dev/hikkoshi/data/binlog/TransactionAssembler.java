package dev.hikkoshi.data.binlog;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeKind;
import dev.hikkoshi.data.capture.OwnWriteMarker;
import dev.hikkoshi.data.capture.RowChange;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles one replication connection's events into transactions and hands each, at its commit, to every
 * subscription that has not seen it yet. Runs on the tailer's thread only. A transaction is the events between
 * a MariaDB GTID event or {@code BEGIN} and the XID event or {@code COMMIT} query; a DDL or other statement
 * outside a transaction is one on its own. Its end position is the one after its last event.
 *
 * <p>Stops, never skips: a DDL or statement-format DML naming a subscriber's table stops that subscriber; a
 * row image that does not fit the inspected table stops the subscribers of that table; an event type this
 * class does not know stops every subscriber.
 */
final class TransactionAssembler {
    private static final Logger log = LoggerFactory.getLogger(TransactionAssembler.class);
    /** Events that carry nothing a stream needs (their effects, if any, come as row events or are checked elsewhere). */
    private static final Set<EventType> IGNORED = java.util.EnumSet.of(EventType.FORMAT_DESCRIPTION,
            EventType.HEARTBEAT, EventType.PREVIOUS_GTIDS, EventType.GTID, EventType.ANONYMOUS_GTID,
            EventType.MARIADB_GTID_LIST, EventType.BINLOG_CHECKPOINT, EventType.ANNOTATE_ROWS, EventType.ROWS_QUERY,
            EventType.TRANSACTION_CONTEXT, EventType.STOP, EventType.INTVAR, EventType.RAND, EventType.USER_VAR,
            EventType.IGNORABLE);

    /** What the assembler needs from its tailer. */
    interface Tailer {
        /** The subscriptions receiving this connection's transactions, fixed as the transaction's end is noted. */
        List<TailerSubscription> noteEnd(CapturePosition.BinlogFile end, Optional<GtidState> gtidAfter);

        /** Every subscription, active or waiting for a restart. */
        List<TailerSubscription> allSubscriptions();

        /** The decoder of an in-scope table ({@code schema.table}, lower case), or empty when no one reads it. */
        Optional<RowDecoder> decoder(String qualifiedTable);

        long maxTransactionChanges();
    }

    private final Tailer tailer;
    private final Map<Long, MappedTable> tableMaps = new HashMap<>();
    private String file;
    private Optional<GtidState> gtidState;
    private final List<TailerSubscription.TableChange> changes = new ArrayList<>();
    private final Map<String, String> broken = new HashMap<>(); // qualified table -> why its rows cannot be decoded
    private Optional<GtidState.Gtid> gtid = Optional.empty();
    private boolean ownWrite;
    private boolean inTransaction;
    /** For the DEBUG line of a transaction: when its first event arrived, the time spent here, its rows events. */
    private long firstEventNanos;
    private long ownNanos;
    private int rowEvents;

    TransactionAssembler(Tailer tailer, String startFile, Optional<GtidState> gtidState) {
        this.tailer = tailer;
        this.file = startFile;
        this.gtidState = gtidState;
    }

    /** Handles one event; returns normally unless the thread was interrupted while a sink blocked. */
    void onEvent(Event event) throws InterruptedException {
        if (!log.isDebugEnabled()) {
            dispatch(event);
            return;
        }
        long entered = System.nanoTime();
        try {
            dispatch(event);
        } finally {
            ownNanos += System.nanoTime() - entered;
        }
    }

    private void dispatch(Event event) throws InterruptedException {
        EventHeaderV4 header = event.getHeader();
        EventType type = header.getEventType();
        switch (type) {
            case ROTATE -> file = ((RotateEventData) event.getData()).getBinlogFilename();
            case MARIADB_GTID -> {
                MariadbGtidEventData g = event.getData();
                begin();
                firstEventNanos = System.nanoTime();
                gtid = Optional.of(new GtidState.Gtid(g.getDomainId(), g.getServerId(), g.getSequence()));
                inTransaction = (g.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0;
            }
            case TABLE_MAP -> {
                TableMapEventData map = event.getData();
                tableMaps.put(map.getTableId(), new MappedTable(map));
            }
            case WRITE_ROWS, EXT_WRITE_ROWS -> {
                WriteRowsEventData d = event.getData();
                RowsTarget target = target(d.getTableId());
                rowEvents++;
                for (Serializable[] row : d.getRows()) {
                    rowChange(target, ChangeKind.INSERT, null, null, row, d.getIncludedColumns());
                }
            }
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                UpdateRowsEventData d = event.getData();
                RowsTarget target = target(d.getTableId());
                rowEvents++;
                for (Map.Entry<Serializable[], Serializable[]> row : d.getRows()) {
                    rowChange(target, ChangeKind.UPDATE, row.getKey(), d.getIncludedColumnsBeforeUpdate(), row.getValue(),
                            d.getIncludedColumns());
                }
            }
            case DELETE_ROWS, EXT_DELETE_ROWS -> {
                DeleteRowsEventData d = event.getData();
                RowsTarget target = target(d.getTableId());
                rowEvents++;
                for (Serializable[] row : d.getRows()) {
                    rowChange(target, ChangeKind.DELETE, row, d.getIncludedColumns(), null, null);
                }
            }
            case XID -> commit(header);
            case QUERY -> query(header, event.getData());
            default -> {
                if (!IGNORED.contains(type)) {
                    CapturePosition at = new CapturePosition.BinlogFile(file, header.getPosition());
                    for (TailerSubscription s : tailer.allSubscriptions()) {
                        s.stop(new CaptureStop.UnsupportedEvent("event type " + type + " (" + describe(type) + ")", at));
                    }
                }
            }
        }
    }

    private void query(EventHeaderV4 header, QueryEventData data) throws InterruptedException {
        QueryStatement statement = QueryStatement.of(data.getSql(), data.getDatabase());
        String upper = data.getSql().trim().toUpperCase(Locale.ROOT);
        if (statement.kind() == QueryStatement.Kind.TRANSACTION_CONTROL) {
            if (upper.startsWith("XA")) {
                stopAll(header, "an XA transaction statement (" + data.getSql() + "): XA transactions are not supported");
            } else if (upper.startsWith("BEGIN") || upper.startsWith("START")) {
                boolean hadGtid = gtid.isPresent();
                Optional<GtidState.Gtid> keep = gtid;
                begin();
                gtid = hadGtid ? keep : Optional.empty();
                inTransaction = true;
            } else if (upper.startsWith("COMMIT") || upper.equals("ROLLBACK")) {
                // A ROLLBACK query ends a group whose non-transactional changes stayed: deliver them like a commit.
                commit(header);
            }
            return;
        }
        CapturePosition at = new CapturePosition.BinlogFile(file, header.getPosition());
        CapturePosition.BinlogFile end = new CapturePosition.BinlogFile(file, header.getNextPosition());
        if (statement.kind() == QueryStatement.Kind.DDL || statement.kind() == QueryStatement.Kind.DML) {
            for (TailerSubscription s : tailer.allSubscriptions()) {
                if (s.alreadySeen(end, gtid)) {
                    continue;
                }
                Optional<String> table = statement.touches(s.tables());
                if (table.isPresent() && statement.kind() == QueryStatement.Kind.DDL) {
                    s.stop(new CaptureStop.SchemaChanged(table.get(), data.getSql(), at));
                } else if (table.isPresent()) {
                    s.stop(new CaptureStop.UnsupportedEvent("a statement-format change of table " + table.get()
                            + " (binlog_format was not ROW for the session that wrote it: " + abbreviate(data.getSql())
                            + "); set binlog_format=ROW globally and restart the writers' sessions", at));
                }
            }
        }
        if (!inTransaction) {
            commit(header);
        }
    }

    /** A table map with what the rows after it need, worked out once per map instead of once per row. */
    private static final class MappedTable {
        final TableMapEventData map;
        final String qualified;
        final boolean marker;

        MappedTable(TableMapEventData map) {
            this.map = map;
            this.qualified = (map.getDatabase() + "." + map.getTable()).toLowerCase(Locale.ROOT);
            this.marker = OwnWriteMarker.isMarker(map.getDatabase(), map.getTable());
        }
    }

    /** The table of one rows event and its decoder, when a subscriber reads it; null map when none was seen. */
    private record RowsTarget(MappedTable table, Optional<RowDecoder> decoder) {
    }

    /** Looked up once per rows event: the subscriptions (and so the decoder) may change between events. */
    private RowsTarget target(long tableId) {
        MappedTable table = tableMaps.get(tableId);
        return new RowsTarget(table, table == null ? Optional.empty() : tailer.decoder(table.qualified));
    }

    private void rowChange(RowsTarget target, ChangeKind kind, Serializable[] before, BitSet beforeColumns,
                           Serializable[] after, BitSet afterColumns) {
        MappedTable table = target.table();
        if (table == null) {
            return; // cannot happen after a TABLE_MAP; the library refuses such rows itself
        }
        if (table.marker) {
            ownWrite = true;
        }
        String qualified = table.qualified;
        boolean skipped = (before != null && before.length == 0) || (after != null && after.length == 0);
        if (skipped || target.decoder().isEmpty() || broken.containsKey(qualified)) {
            // A skipped row (EventDecoding.RowSkipper) was of a table no one read when its event was decoded; a
            // subscription to that table that came since waits for the reconnect its arrival asked for.
            return;
        }
        RowDecoder d = target.decoder().get();
        byte[] types = table.map.getColumnTypes();
        try {
            Optional<String> mismatch = d.mismatch(types);
            if (mismatch.isPresent()) {
                throw new SchemaMismatch(mismatch.get());
            }
            Map<String, Object> b = before == null ? Map.of() : d.decode(before, beforeColumns, types);
            Map<String, Object> a = after == null ? Map.of() : d.decode(after, afterColumns, types);
            changes.add(new TailerSubscription.TableChange(qualified,
                    new RowChange(qualified, kind, d.key(kind == ChangeKind.DELETE ? b : a), b, a)));
            if (changes.size() > tailer.maxTransactionChanges()) {
                broken.put(qualified, "a transaction changes more than " + tailer.maxTransactionChanges()
                        + " rows of in-scope tables; the binlog tailer holds a transaction whole in memory");
                changes.removeIf(c -> c.qualifiedTable().equals(qualified));
            }
        } catch (SchemaMismatch e) {
            broken.put(qualified, "schema:" + e.getMessage());
            changes.removeIf(c -> c.qualifiedTable().equals(qualified));
        } catch (RowDecoder.DecodeException e) {
            broken.put(qualified, e.getMessage());
            changes.removeIf(c -> c.qualifiedTable().equals(qualified));
        }
    }

    private void commit(EventHeaderV4 header) throws InterruptedException {
        long committing = System.nanoTime();
        CapturePosition.BinlogFile end = new CapturePosition.BinlogFile(file, header.getNextPosition());
        CapturePosition at = new CapturePosition.BinlogFile(file, header.getPosition());
        gtidState = gtidState.map(state -> gtid.map(state::after).orElse(state));
        Instant committedAt = Instant.ofEpochMilli(header.getTimestamp());
        for (TailerSubscription s : tailer.noteEnd(end, gtidState)) {
            if (s.alreadySeen(end, gtid)) {
                continue;
            }
            Optional<String> brokenTable = broken.keySet().stream().filter(s::wants).findFirst();
            if (brokenTable.isPresent()) {
                String why = broken.get(brokenTable.get());
                s.stop(why.startsWith("schema:")
                        ? new CaptureStop.SchemaChanged(brokenTable.get(), why.substring(7), at)
                        : new CaptureStop.Failed("cannot read the binlog at " + at.text() + ": " + why, null));
                continue;
            }
            try {
                s.deliver(s.after(end, gtid), committedAt, ownWrite, changes);
            } catch (RuntimeException e) {
                // One stream's failing sink stops that stream only; the others keep reading.
                s.stop(new CaptureStop.Failed("the stream failed applying the transaction ending at " + end.text()
                        + ": " + e.getMessage(), e));
            }
        }
        if (log.isDebugEnabled() && rowEvents > 0) {
            long now = System.nanoTime();
            log.debug("transaction ending at {}: {} rows events, {} in-scope changes; read in {} ms ({} ms of it assembling), "
                    + "handed over in {} ms", end.text(), rowEvents, changes.size(), (committing - firstEventNanos) / 1_000_000,
                    (ownNanos - (now - committing)) / 1_000_000, (now - committing) / 1_000_000);
        }
        begin();
    }

    private void stopAll(EventHeaderV4 header, String description) {
        CapturePosition at = new CapturePosition.BinlogFile(file, header.getPosition());
        for (TailerSubscription s : tailer.allSubscriptions()) {
            s.stop(new CaptureStop.UnsupportedEvent(description, at));
        }
    }

    private void begin() {
        changes.clear();
        broken.clear();
        gtid = Optional.empty();
        ownWrite = false;
        inTransaction = false;
        firstEventNanos = 0;
        ownNanos = 0;
        rowEvents = 0;
    }

    private static String describe(EventType type) {
        return switch (type) {
            case TRANSACTION_PAYLOAD -> "a compressed transaction: set binlog_transaction_compression=OFF";
            case INCIDENT -> "the source wrote an incident: its binlog may lack changes, copy the tenant again";
            case PARTIAL_UPDATE_ROWS_EVENT -> "a partial JSON update: set binlog_row_value_options=''";
            default -> "not supported by hikkoshi's binlog tailer";
        };
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 120 ? oneLine.substring(0, 117) + "..." : oneLine;
    }

    /** The row image does not fit the inspected table. */
    private static final class SchemaMismatch extends Exception {
        SchemaMismatch(String message) {
            super(message);
        }
    }
}
