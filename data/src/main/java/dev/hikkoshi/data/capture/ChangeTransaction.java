package dev.hikkoshi.data.capture;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The changes of one source transaction (or one drain of the change log, or one differential pass), in order.
 *
 * @param end       the position after this transaction: a stream checkpoints it once the target committed
 * @param ownWrite  the transaction carries hikkoshi's marker (a row of its {@code hikkoshi} schema, or the
 *                  session variable its triggers check): its changes are hikkoshi's own, never a bypass
 */
public record ChangeTransaction(CapturePosition end, Instant committedAt, boolean ownWrite,
                                List<RowChange> changes) {
    public ChangeTransaction {
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(committedAt, "committedAt");
        changes = List.copyOf(changes);
    }
}
