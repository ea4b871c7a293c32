package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.binlog.BinlogOrder;
import dev.hikkoshi.data.capture.CapturePosition;
import java.util.Optional;

/**
 * Whether a stream's applied position has reached a position its capture reported, in the notations whose order
 * is the source's commit order: a binlog file/position (files by their numeric suffix, then the offset), a
 * MariaDB GTID position (each domain's sequence number) and a trigger change-log id (the capture reports the last
 * id below which every row is committed or rolled back, so every change committed before the report is at or
 * below it). {@link TenantStream#awaitCaughtUp} drains to such a point; a checksum pass number says nothing about
 * when the pass began, so it is not compared here, and empty says so.
 *
 * <p>Why positions and not the commit times of heartbeats: binlog timestamps have whole seconds, so a drain that
 * proves itself by time must wait until a beat a whole second later is applied (held time in every freeze), and
 * a time says nothing exact about where in the binlog a transaction is. A position read after the caller's
 * writes committed is after every one of them in the binlog, which the capture delivers in commit order.
 */
final class DrainPoint {
    private DrainPoint() {
    }

    /** True or false when both positions are in one ordered notation, empty when they cannot be compared. */
    static Optional<Boolean> reached(CapturePosition applied, CapturePosition wanted) {
        if (applied instanceof CapturePosition.ChangeLog a && wanted instanceof CapturePosition.ChangeLog w) {
            return Optional.of(a.lastId() >= w.lastId());
        }
        return BinlogOrder.reached(applied, wanted);
    }
}
