package dev.hikkoshi.data.trigger;

import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.schema.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns change-log rows into the stream's {@link RowChange}s, each value decoded by its inspected column type
 * ({@link ColumnDecoder}). What a table's recorded column list needs (the columns, their charset overrides,
 * the key's positions) is worked out once per list, not per row: a drain decodes a thousand rows of one table
 * a read, and the per-row lookups (a column by name, the overrides' stream) were most of a cold drain's time.
 * Used by {@link TriggerCapture}'s drains; safe for several threads.
 */
final class ChangeDecoder {
    /** More lists than this (old installs, many tables) are decoded without keeping their layout. */
    private static final int MAX_LAYOUTS = 1_000;

    private final CharsetOverrides overrides;
    private final Map<Key, Layout> layouts = new ConcurrentHashMap<>();

    private record Key(String table, List<String> columns) {
    }

    /** A column list of one table: lower-case names, columns, overrides, and where each key column is. */
    private record Layout(String[] names, Column[] columns, Optional<String>[] overrides, int[] keyAt) {
    }

    ChangeDecoder(CharsetOverrides overrides) {
        this.overrides = overrides;
    }

    RowChange decode(ChangeLogReader.Entry e, CapturedTable table) {
        Layout layout = layout(table, e.columns());
        Map<String, Object> before = values(table, layout, e.oldValues());
        Map<String, Object> after = values(table, layout, e.newValues());
        Map<String, Object> keyFrom = e.event() == TriggerEvent.DELETE ? before : after;
        Map<String, Object> key = new LinkedHashMap<>();
        for (int k = 0; k < layout.keyAt().length; k++) {
            String name = table.keyColumns().get(k).toLowerCase(Locale.ROOT);
            key.put(name, layout.keyAt()[k] < 0 ? null : keyFrom.get(layout.names()[layout.keyAt()[k]]));
        }
        return new RowChange(table.name(), e.event().changeKind(), key, before, after);
    }

    private Layout layout(CapturedTable table, List<String> columns) {
        Key key = new Key(table.name(), columns);
        Layout known = layouts.get(key);
        if (known != null) {
            return known;
        }
        Layout made = layoutOf(table, columns);
        if (layouts.size() < MAX_LAYOUTS) {
            layouts.put(key, made);
        }
        return made;
    }

    @SuppressWarnings("unchecked")
    private Layout layoutOf(CapturedTable table, List<String> columns) {
        int n = columns.size();
        String[] names = new String[n];
        Column[] cols = new Column[n];
        Optional<String>[] charsets = new Optional[n];
        for (int i = 0; i < n; i++) {
            names[i] = columns.get(i).toLowerCase(Locale.ROOT);
            cols[i] = table.column(columns.get(i));
            charsets[i] = overrides.charsetOverride(table.name(), columns.get(i));
        }
        int[] keyAt = new int[table.keyColumns().size()];
        for (int k = 0; k < keyAt.length; k++) {
            keyAt[k] = -1;
            for (int i = 0; i < n; i++) {
                if (names[i].equals(table.keyColumns().get(k).toLowerCase(Locale.ROOT))) {
                    keyAt[k] = i;
                    break;
                }
            }
        }
        return new Layout(names, cols, charsets, keyAt);
    }

    private static Map<String, Object> values(CapturedTable table, Layout layout, List<byte[]> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (values.isEmpty()) {
            return out;
        }
        if (values.size() != layout.names().length) {
            throw new IllegalStateException("change-log row of table " + table.name() + " has " + values.size()
                    + " values for " + layout.names().length + " columns");
        }
        for (int i = 0; i < layout.names().length; i++) {
            out.put(layout.names()[i], ColumnDecoder.fromBytes(layout.columns()[i], layout.overrides()[i], values.get(i)));
        }
        return out;
    }
}
