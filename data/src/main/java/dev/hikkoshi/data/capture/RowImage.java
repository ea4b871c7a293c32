package dev.hikkoshi.data.capture;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable row image: column values by lower-case column name, in table order, null values allowed. The
 * binlog tailer builds one per row image over its table's one {@link Columns}, so that a 10,000-row event costs
 * an array per image instead of a hash map, and {@link RowChange} keeps it as it is instead of copying it.
 * A value may be {@link Deferred}: it is decoded each time it is read (by {@link #get} or the entries), so
 * readers see only decoded values.
 */
public final class RowImage extends AbstractMap<String, Object> {
    /**
     * A value decoded when it is read rather than when the image is made: the binlog tailer defers the text of
     * string, temporal and DECIMAL cells, since streams read only the key, tenant and link columns of an image.
     * Implementations are immutable and their decoding cannot fail (what can fail is decoded at once).
     */
    public interface Deferred {
        Object value();
    }

    /** The column names of a table's images and each name's position; shared by every image of the table. */
    public static final class Columns {
        private final String[] names;
        private final Map<String, Integer> positions;

        /** {@code names} are lower case, without repeats. */
        public Columns(List<String> names) {
            this.names = names.toArray(String[]::new);
            this.positions = new HashMap<>();
            for (int i = 0; i < this.names.length; i++) {
                if (positions.put(this.names[i], i) != null) {
                    throw new IllegalArgumentException("column " + this.names[i] + " is named twice in " + names);
                }
            }
        }

        public int size() {
            return names.length;
        }
    }

    private final Columns columns;
    private final Object[] values;

    /** The image holding {@code values} (in the columns' order); the array is taken over, not copied. */
    public RowImage(Columns columns, Object[] values) {
        if (values.length != columns.names.length) {
            throw new IllegalArgumentException(values.length + " values for " + columns.names.length + " columns");
        }
        this.columns = columns;
        this.values = values;
    }

    @Override
    public Object get(Object name) {
        Integer at = columns.positions.get(name);
        return at == null ? null : decoded(values[at]);
    }

    @Override
    public boolean containsKey(Object name) {
        return columns.positions.containsKey(name);
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isEmpty() {
        return values.length == 0;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int at = next++;
                        return new SimpleImmutableEntry<>(columns.names[at], decoded(values[at]));
                    }
                };
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    private static Object decoded(Object value) {
        return value instanceof Deferred d ? d.value() : value;
    }
}
