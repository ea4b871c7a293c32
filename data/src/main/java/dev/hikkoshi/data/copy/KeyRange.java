package dev.hikkoshi.data.copy;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * One range of a table's rows that one worker copies chunk by chunk, and how far it got: rows whose first key
 * column is in {@code [low, high)} (each bound absent = unbounded; only integer keys are split), the last key
 * copied, and whether the range is done. Stored in the checkpoint table and updated in the same target
 * transaction as each chunk's rows.
 */
public record KeyRange(String table, int number, Optional<BigInteger> low, Optional<BigInteger> high,
                       Optional<RowKey> lastKey, long rowsCopied, boolean done) {
    public KeyRange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(low, "low");
        Objects.requireNonNull(high, "high");
        Objects.requireNonNull(lastKey, "lastKey");
    }

    /** This range after a chunk that copied {@code rows} rows ending at {@code last}. */
    KeyRange advanced(RowKey last, long rows, boolean finished) {
        return new KeyRange(table, number, low, high, Optional.ofNullable(last).or(() -> lastKey), rowsCopied + rows,
                finished);
    }
}
