package dev.hikkoshi.data.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import dev.hikkoshi.data.capture.RowImage;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

/**
 * A binlog cell kept as its bytes and decoded when a stream reads it ({@link RowImage.Deferred}): a 10,000-row
 * UPDATE of bench/sync.sh's orders carries 40,000 DATETIME, 20,000 DECIMAL and 60,000 string cells, of which a
 * stream reads none (it reads the key and the tenant column). Only decodings that cannot fail are deferred:
 * JSON, ENUM and SET labels are decoded at once, so a bad value still stops the stream where it is read.
 */
sealed interface DeferredCell extends RowImage.Deferred {
    /** A string cell's bytes in the column's charset, made a String when read. */
    record Text(byte[] bytes, Charset charset) implements DeferredCell {
        @Override
        public Object value() {
            return new String(bytes, charset);
        }
    }

    /** A temporal cell (not YEAR) of {@code type} and metadata {@code meta}, made its text ({@link TemporalText}) when read. */
    record Temporal(ColumnType type, int meta, byte[] bytes) implements DeferredCell, Serializable {
        private static final long serialVersionUID = 1L;

        static Temporal read(ColumnType type, int meta, ByteArrayInputStream in) throws IOException {
            int fraction = (meta + 1) / 2;
            int length = switch (type) {
                case DATE, TIME -> 3;
                case DATETIME -> 8;
                case TIMESTAMP -> 4;
                case DATETIME_V2 -> 5 + fraction;
                case TIMESTAMP_V2 -> 4 + fraction;
                case TIME_V2 -> 3 + fraction;
                default -> throw new IllegalArgumentException("not a deferred temporal type: " + type);
            };
            return new Temporal(type, meta, in.read(length));
        }

        @Override
        public Object value() {
            try {
                return EventDecoding.temporal(type, meta, new ByteArrayInputStream(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // cannot happen: the bytes were read to the type's length
            }
        }
    }

    /** A DECIMAL(precision, scale) cell in MySQL's binary form, made a BigDecimal when read. */
    record Decimal(int precision, int scale, byte[] bytes) implements DeferredCell, Serializable {
        private static final long serialVersionUID = 1L;
        /** The byte length of each count of leftover digits (MySQL's {@code dig2bytes}). */
        private static final int[] DIGIT_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};

        /** As the library's {@code deserializeNewDecimal} reads it: precision and scale from the metadata. */
        static Decimal read(int meta, ByteArrayInputStream in) throws IOException {
            int precision = meta & 0xFF;
            int scale = meta >> 8;
            int integral = precision - scale;
            int length = (integral / 9 << 2) + DIGIT_BYTES[integral % 9] + (scale / 9 << 2) + DIGIT_BYTES[scale % 9];
            return new Decimal(precision, scale, in.read(length));
        }

        @Override
        public Object value() {
            // A copy: the library flips the sign bits of the array it is given, and the cell may be read again.
            return AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, bytes.clone());
        }
    }
}
