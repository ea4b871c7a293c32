package dev.hikkoshi.data.binlog;

import dev.hikkoshi.data.capture.CapturePosition;
import java.util.Optional;

/**
 * The binlog's order of positions, for callers outside the tailer: whether a stream that has applied through
 * one position has passed another (a drain point). Used by {@code TenantStream}'s catch-up.
 */
public final class BinlogOrder {
    private BinlogOrder() {
    }

    /**
     * True when {@code applied} is at or after {@code wanted}, false when before, empty when the two are not in
     * one binlog notation or are files without an order between them (two names with the same number).
     */
    public static Optional<Boolean> reached(CapturePosition applied, CapturePosition wanted) {
        if (applied instanceof CapturePosition.BinlogFile a && wanted instanceof CapturePosition.BinlogFile w) {
            if (FileOrder.sequence(a.file()) == FileOrder.sequence(w.file()) && !a.file().equals(w.file())) {
                return Optional.empty();
            }
            return Optional.of(FileOrder.atOrBefore(w, a));
        }
        if (applied instanceof CapturePosition.Gtid a && wanted instanceof CapturePosition.Gtid w) {
            return Optional.of(GtidState.parse(a.gtidSet()).coversAll(GtidState.parse(w.gtidSet())));
        }
        return Optional.empty();
    }
}
