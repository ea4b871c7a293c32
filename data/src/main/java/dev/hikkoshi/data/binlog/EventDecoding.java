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
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the library's event deserializer the way hikkoshi needs it: strings and CHAR/BINARY as bytes
 * ({@code CHAR_AND_BINARY_AS_BYTE_ARRAY}; they are decoded by the inspected column's charset later), every
 * temporal cell as exact text ({@link TemporalText}), so that zero dates survive, and temporal and DECIMAL
 * cells kept as their bytes until read ({@link DeferredCell}). Only the event types the
 * tailer understands get a data deserializer; any other event arrives without data and the tailer decides
 * (ignored when harmless, a stop otherwise).
 */
final class EventDecoding {
    private EventDecoding() {
    }

    static EventDeserializer deserializer() {
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
        byType.put(EventType.WRITE_ROWS, new TextWriteRows(tableMaps));
        byType.put(EventType.EXT_WRITE_ROWS, new TextWriteRows(tableMaps).setMayContainExtraInformation(true));
        byType.put(EventType.UPDATE_ROWS, new TextUpdateRows(tableMaps));
        byType.put(EventType.EXT_UPDATE_ROWS, new TextUpdateRows(tableMaps).setMayContainExtraInformation(true));
        byType.put(EventType.DELETE_ROWS, new TextDeleteRows(tableMaps));
        byType.put(EventType.EXT_DELETE_ROWS, new TextDeleteRows(tableMaps).setMayContainExtraInformation(true));
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

    /** WRITE_ROWS with temporal and DECIMAL cells deferred. */
    static final class TextWriteRows extends WriteRowsEventDataDeserializer {
        TextWriteRows(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            return isDeferred(type) ? deferred(type, meta, in) : super.deserializeCell(type, meta, length, in);
        }
    }

    /** UPDATE_ROWS with temporal and DECIMAL cells deferred. */
    static final class TextUpdateRows extends UpdateRowsEventDataDeserializer {
        TextUpdateRows(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            return isDeferred(type) ? deferred(type, meta, in) : super.deserializeCell(type, meta, length, in);
        }
    }

    /** DELETE_ROWS with temporal and DECIMAL cells deferred. */
    static final class TextDeleteRows extends DeleteRowsEventDataDeserializer {
        TextDeleteRows(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            return isDeferred(type) ? deferred(type, meta, in) : super.deserializeCell(type, meta, length, in);
        }
    }
}
