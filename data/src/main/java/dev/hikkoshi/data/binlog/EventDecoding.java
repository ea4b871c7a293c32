package dev.hikkoshi.data.binlog;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidListEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Builds the library's event deserializer the way hikkoshi needs it: strings and CHAR/BINARY as bytes
 * ({@code CHAR_AND_BINARY_AS_BYTE_ARRAY}; they are decoded by the inspected column's charset later), every
 * temporal cell as exact text ({@link TemporalText}), so that zero dates survive, and temporal and DECIMAL
 * cells kept as their bytes until read ({@link DeferredCell}). Only the event types the
 * tailer understands get a data deserializer; any other event arrives without data and the tailer decides
 * (ignored when harmless, a stop otherwise). The rows of a table the tailer says no one reads are not decoded
 * at all ({@link RowSkipper}).
 */
final class EventDecoding {
    private EventDecoding() {
    }

    /** {@code unread} tells, from a table map, whether no subscriber reads that table's rows. */
    static EventDeserializer deserializer(Predicate<TableMapEventData> unread) {
        Map<Long, TableMapEventData> tableMaps = new HashMap<>();
        Map<EventType, EventDataDeserializer> byType = new HashMap<>();
        byType.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
        byType.put(EventType.ROTATE, new RotateEventDataDeserializer());
        byType.put(EventType.QUERY, new QueryEventDataDeserializer());
        byType.put(EventType.XID, new XidEventDataDeserializer());
        byType.put(EventType.TABLE_MAP, new TableMapEventDataDeserializer());
        byType.put(EventType.GTID, new GtidEventDataDeserializer());
        byType.put(EventType.MARIADB_GTID, new MariadbGtidEventDataDeserializer());
        byType.put(EventType.MARIADB_GTID_LIST, new MariadbGtidListEventDataDeserializer());
        byType.put(EventType.WRITE_ROWS, new TextWriteRows(tableMaps, new RowSkipper(tableMaps, unread)));
        byType.put(EventType.EXT_WRITE_ROWS, new TextWriteRows(tableMaps, new RowSkipper(tableMaps, unread))
                .setMayContainExtraInformation(true));
        byType.put(EventType.UPDATE_ROWS, new TextUpdateRows(tableMaps, new RowSkipper(tableMaps, unread)));
        byType.put(EventType.EXT_UPDATE_ROWS, new TextUpdateRows(tableMaps, new RowSkipper(tableMaps, unread))
                .setMayContainExtraInformation(true));
        byType.put(EventType.DELETE_ROWS, new TextDeleteRows(tableMaps, new RowSkipper(tableMaps, unread)));
        byType.put(EventType.EXT_DELETE_ROWS, new TextDeleteRows(tableMaps, new RowSkipper(tableMaps, unread))
                .setMayContainExtraInformation(true));
        EventDeserializer deserializer = new EventDeserializer(new EventHeaderV4Deserializer(),
                new NullEventDataDeserializer(), byType, tableMaps);
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        return deserializer;
    }

    /** The temporal cells as text, or null when the library's own decoding is right for the type. */
    static Serializable temporal(ColumnType type, int meta, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE -> TemporalText.date(in);
            case DATETIME -> TemporalText.datetimeV1(in);
            case DATETIME_V2 -> TemporalText.datetimeV2(meta, in);
            case TIMESTAMP -> TemporalText.timestampV1(in);
            case TIMESTAMP_V2 -> TemporalText.timestampV2(meta, in);
            case TIME -> TemporalText.timeV1(in);
            case TIME_V2 -> TemporalText.timeV2(meta, in);
            case YEAR -> TemporalText.year(in);
            default -> null;
        };
    }

    /**
     * A temporal cell (YEAR, one byte, at once) or DECIMAL cell kept as its bytes, or null when the library's own
     * decoding is right for the type.
     */
    static Serializable deferred(ColumnType type, int meta, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE, DATETIME, DATETIME_V2, TIMESTAMP, TIMESTAMP_V2, TIME, TIME_V2 -> DeferredCell.Temporal.read(type, meta, in);
            case YEAR -> TemporalText.year(in);
            case NEWDECIMAL -> DeferredCell.Decimal.read(meta, in);
            default -> null;
        };
    }

    static boolean isDeferred(ColumnType type) {
        return isTemporal(type) || type == ColumnType.NEWDECIMAL;
    }

    static boolean isTemporal(ColumnType type) {
        return switch (type) {
            case DATE, DATETIME, DATETIME_V2, TIMESTAMP, TIMESTAMP_V2, TIME, TIME_V2, YEAR -> true;
            default -> false;
        };
    }

    /**
     * Leaves the rows of an unread table undecoded: at such a table's first row image it skips the rest of the
     * rows event and hands out an image without cells, so the event arrives with one empty row (an UPDATE's
     * entry: two), which the tailer passes over as it passed over the decoded rows of such a table before. The
     * table's map is asked once per rows event (each event follows its own TABLE_MAP). The tailer reconnects
     * before a subscription reads a table no one read ({@link BinlogTailer}), so no reader misses a skipped row.
     */
    static final class RowSkipper {
        private static final Serializable[] NO_CELLS = new Serializable[0];
        private final Map<Long, TableMapEventData> tableMaps;
        private final Predicate<TableMapEventData> unread;
        private final byte[] scratch = new byte[8192];
        private TableMapEventData lastMap;
        private boolean skipping;

        RowSkipper(Map<Long, TableMapEventData> tableMaps, Predicate<TableMapEventData> unread) {
            this.tableMaps = tableMaps;
            this.unread = unread;
        }

        /** Null when the row is to be decoded; else the empty image, the event's remaining rows skipped. */
        Serializable[] skipped(long tableId, ByteArrayInputStream in) throws IOException {
            TableMapEventData map = tableMaps.get(tableId);
            if (map != lastMap) {
                lastMap = map;
                skipping = map != null && unread.test(map);
            }
            if (!skipping) {
                return null;
            }
            // Read, not skipped: the stream's own skips leave its block, after which available() counts the
            // checksum and the library's row loop would never end; a read stops at the block's end, at 0.
            for (int left = in.available(); left > 0; left = in.available()) {
                in.fill(scratch, 0, Math.min(left, scratch.length));
            }
            return NO_CELLS;
        }
    }

    /** WRITE_ROWS with temporal and DECIMAL cells deferred. */
    static final class TextWriteRows extends WriteRowsEventDataDeserializer {
        private final RowSkipper skipper;

        TextWriteRows(Map<Long, TableMapEventData> tableMaps, RowSkipper skipper) {
            super(tableMaps);
            this.skipper = skipper;
        }

        @Override
        protected Serializable[] deserializeRow(long tableId, BitSet includedColumns, ByteArrayInputStream in)
                throws IOException {
            Serializable[] skipped = skipper.skipped(tableId, in);
            return skipped != null ? skipped : super.deserializeRow(tableId, includedColumns, in);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            return isDeferred(type) ? deferred(type, meta, in) : super.deserializeCell(type, meta, length, in);
        }
    }

    /** UPDATE_ROWS with temporal and DECIMAL cells deferred. */
    static final class TextUpdateRows extends UpdateRowsEventDataDeserializer {
        private final RowSkipper skipper;

        TextUpdateRows(Map<Long, TableMapEventData> tableMaps, RowSkipper skipper) {
            super(tableMaps);
            this.skipper = skipper;
        }

        @Override
        protected Serializable[] deserializeRow(long tableId, BitSet includedColumns, ByteArrayInputStream in)
                throws IOException {
            Serializable[] skipped = skipper.skipped(tableId, in);
            return skipped != null ? skipped : super.deserializeRow(tableId, includedColumns, in);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            return isDeferred(type) ? deferred(type, meta, in) : super.deserializeCell(type, meta, length, in);
        }
    }

    /** DELETE_ROWS with temporal and DECIMAL cells deferred. */
    static final class TextDeleteRows extends DeleteRowsEventDataDeserializer {
        private final RowSkipper skipper;

        TextDeleteRows(Map<Long, TableMapEventData> tableMaps, RowSkipper skipper) {
            super(tableMaps);
            this.skipper = skipper;
        }

        @Override
        protected Serializable[] deserializeRow(long tableId, BitSet includedColumns, ByteArrayInputStream in)
                throws IOException {
            Serializable[] skipped = skipper.skipped(tableId, in);
            return skipped != null ? skipped : super.deserializeRow(tableId, includedColumns, in);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            return isDeferred(type) ? deferred(type, meta, in) : super.deserializeCell(type, meta, length, in);
        }
    }
}
