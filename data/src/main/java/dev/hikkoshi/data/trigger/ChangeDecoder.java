package dev.hikkoshi.data.trigger;

import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.capture.RowImage;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.schema.Column;
import java.util.Collections;
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

    /**
     * A column list of one table: lower-case names, columns, overrides, where each key column is, and the image
     * shapes shared by every row of the list ({@link RowImage}: an array per image, not two hash maps).
     */
    private record Layout(String[] names, Column[] columns, Optional<String>[] overrides, int[] keyAt,
                          RowImage.Columns image, RowImage.Columns key) {
    }

    ChangeDecoder(CharsetOverrides overrides) {
        this.overrides = overrides;
    }

    RowChange decode(ChangeLogReader.Entry e, CapturedTable table) {
        Layout layout = layout(table, e.columns());
        Map<String, Object> before = values(table, layout, e.oldValues());
        Map<String, Object> after = values(table, layout, e.newValues());
        Map<String, Object> keyFrom = e.event() == TriggerEvent.DELETE ? before : after;
        Object[] key = new Object[layout.keyAt().length];
        for (int k = 0; k < key.length; k++) {
            key[k] = layout.keyAt()[k] < 0 ? null : keyFrom.get(layout.names()[layout.keyAt()[k]]);
        }
        return new RowChange(table.name(), e.event().changeKind(), new RowImage(layout.key(), key), before, after);
    }

    /**
     * The before and after images of {@code e} holding only {@code column} (lower case), decoded as
     * {@link #decode} would; an absent image is empty. Null when {@code e} does not record that column.
     */
    List<Map<String, Object>> decidingImages(ChangeLogReader.Entry e, CapturedTable table, String column) {
        Layout layout = layout(table, e.columns());
        for (int i = 0; i < layout.names().length; i++) {
            if (layout.names()[i].equals(column)) {
                return List.of(one(table, layout, i, e.oldValues()), one(table, layout, i, e.newValues()));
            }
        }
        return null;
    }

    private static Map<String, Object> one(CapturedTable table, Layout layout, int i, List<byte[]> values) {
        if (values.isEmpty()) {
            return Map.of();
        }
        checkCount(table, layout, values);
        // A NULL tenant value is a value (not the tenant's), so the map must hold null: singletonMap does.
        return Collections.singletonMap(layout.names()[i],
                ColumnDecoder.fromBytes(layout.columns()[i], layout.overrides()[i], values.get(i)));
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
        List<String> keyNames = table.keyColumns().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
        return new Layout(names, cols, charsets, keyAt, new RowImage.Columns(List.of(names)), new RowImage.Columns(keyNames));
    }

    private static Map<String, Object> values(CapturedTable table, Layout layout, List<byte[]> values) {
        if (values.isEmpty()) {
            return Map.of();
        }
        checkCount(table, layout, values);
        Object[] out = new Object[layout.names().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ColumnDecoder.fromBytes(layout.columns()[i], layout.overrides()[i], values.get(i));
        }
        return new RowImage(layout.image(), out);
    }

    /** A recorded image has one value per column of its list: anything else is a corrupt change-log row. */
    private static void checkCount(CapturedTable table, Layout layout, List<byte[]> values) {
        if (values.size() != layout.names().length) {
            throw new IllegalStateException("change-log row of table " + table.name() + " has " + values.size()
                    + " values for " + layout.names().length + " columns");
        }
    }
}
