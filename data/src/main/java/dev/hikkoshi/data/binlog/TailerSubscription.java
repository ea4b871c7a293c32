package dev.hikkoshi.data.binlog;

import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.RowChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One sink's view of a {@link BinlogTailer}: its tables ({@code schema.table} in lower case, mapped to the name
 * the subscriber used), its own position in its own notation (file/pos or GTID), and the connection generation
 * from which it receives transactions. Its mutable state is touched only by the tailer's thread, except
 * {@code closed}.
 */
final class TailerSubscription implements ChangeCapture.Subscription {
    private final Map<String, String> tables;
    private final ChangeSink sink;
    private final Consumer<TailerSubscription> onClose;
    private volatile CapturePosition position;
    private volatile long activeFromGeneration;
    private volatile boolean closed;

    TailerSubscription(Map<String, String> tables, CapturePosition from, ChangeSink sink, long activeFromGeneration,
                       Consumer<TailerSubscription> onClose) {
        this.tables = Map.copyOf(tables);
        this.position = from;
        this.sink = sink;
        this.activeFromGeneration = activeFromGeneration;
        this.onClose = onClose;
    }

    CapturePosition position() {
        return position;
    }

    boolean wants(String qualifiedTable) {
        return tables.containsKey(qualifiedTable);
    }

    java.util.Set<String> tables() {
        return tables.keySet();
    }

    boolean activeIn(long generation) {
        return !closed && generation >= activeFromGeneration;
    }

    void activateFrom(long generation) {
        this.activeFromGeneration = generation;
    }

    /** True when the transaction ending at {@code end} (with MariaDB GTID {@code gtid}, if any) was already delivered. */
    boolean alreadySeen(CapturePosition.BinlogFile end, Optional<GtidState.Gtid> gtid) {
        CapturePosition p = position;
        if (p instanceof CapturePosition.BinlogFile f) {
            return FileOrder.atOrBefore(end, f);
        }
        if (p instanceof CapturePosition.Gtid g) {
            return gtid.map(GtidState.parse(g.gtidSet())::covers).orElse(false);
        }
        return false;
    }

    /** This subscriber's position after the transaction, in its own notation. */
    CapturePosition after(CapturePosition.BinlogFile end, Optional<GtidState.Gtid> gtid) {
        CapturePosition p = position;
        if (p instanceof CapturePosition.Gtid g) {
            GtidState state = GtidState.parse(g.gtidSet());
            return new CapturePosition.Gtid(gtid.map(state::after).orElse(state).text());
        }
        return end;
    }

    /** Hands over the transaction's changes of this subscriber's tables; blocks while the sink is slow. */
    void deliver(CapturePosition end, Instant committedAt, boolean ownWrite, List<TableChange> changes)
            throws InterruptedException {
        List<RowChange> mine = changes.stream().filter(c -> tables.containsKey(c.qualifiedTable()))
                .map(c -> c.named(tables.get(c.qualifiedTable()))).toList();
        sink.accept(new ChangeTransaction(end, committedAt, ownWrite, mine));
        position = end;
    }

    /** Stops this subscription for good: the sink hears why, once. */
    void stop(CaptureStop reason) {
        if (!closed) {
            closed = true;
            onClose.accept(this);
            sink.stopped(reason);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.accept(this);
        }
    }

    /** A row change with the qualified table it belongs to, before it is named for a subscriber. */
    record TableChange(String qualifiedTable, RowChange change) {
        RowChange named(String table) {
            return change.named(table);
        }
    }
}
