package model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable row image as the sources build it for every change: the column names are shared by all rows of a table
 * version ({@link Columns}), the values are one array in column order. A {@code LinkedHashMap} per image cost an entry
 * object per column, and every later step (the key, the shard key, the encoders) walked those entries; this is one
 * array to fill and to walk. It is an ordinary {@code Map} to everything after the source: iteration in column order,
 * {@code null} values, the equality and text of any map; every change to it is refused.
 */
public final class Row extends AbstractMap<String, Object> {

    /** The column names of a table version, in order, with their places; built once per table version. */
    public static final class Columns {
        private final String[] names;
        private final Map<String, Integer> places;

        private Columns(String[] names) {
            this.names = names;
            this.places = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                if (places.put(names[i], i) != null) {
                    throw new IllegalArgumentException("column " + names[i] + " appears twice in " + List.of(names));
                }
            }
        }

        /** @throws IllegalArgumentException when a name appears twice (a map has each key once) */
        public static Columns of(List<String> names) {
            return new Columns(names.toArray(String[]::new));
        }

        public int size() {
            return names.length;
        }

        /** The name of the column at {@code place} (0-based, table order). */
        public String name(int place) {
            return names[place];
        }

        /**
         * A row of these columns. {@code values} is taken as it is, not copied: the caller fills a new array per row
         * and does not touch it afterwards.
         */
        public Row row(Object[] values) {
            if (values.length != names.length) {
                throw new IllegalArgumentException(values.length + " values for " + names.length + " columns");
            }
            return new Row(this, values);
        }

        int place(Object name) {
            // the same String instance as the column's name is the usual case (the names the source gave the columns)
            for (int i = 0; i < names.length && i < 16; i++) {
                if (names[i] == name) {
                    return i;
                }
            }
            Integer place = places.get(name);
            return place == null ? -1 : place;
        }
    }

    private final Columns columns;
    private final Object[] values;

    private Row(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /** The columns this row has values for (the same instance for every row of a table version). */
    public Columns columns() {
        return columns;
    }

    /** The value of the column at {@code place} (0-based, table order). */
    public Object value(int place) {
        return values[place];
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
    public Object get(Object key) {
        int place = columns.place(key);
        return place < 0 ? null : values[place];
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        int place = columns.place(key);
        return place < 0 ? defaultValue : values[place];
    }

    @Override
    public boolean containsKey(Object key) {
        return columns.place(key) >= 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        String[] names = columns.names;
        for (int i = 0; i < names.length; i++) {
            action.accept(names[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return values.length;
            }

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
                        int i = next++;
                        return new SimpleImmutableEntry<>(columns.names[i], values[i]);
                    }
                };
            }
        };
    }

    // put, remove and clear refuse (AbstractMap's put throws, and the entry set's iterator has no remove)
    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException("a row image is immutable");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("a row image is immutable");
    }
}
