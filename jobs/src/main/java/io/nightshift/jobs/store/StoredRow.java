package io.nightshift.jobs.store;

import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * One row of a result table read through Iceberg's Java API ({@link WarehouseTables}), as plain Java values:
 * {@code String}, {@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code LocalDate}, {@code Instant}
 * (a Spark {@code TIMESTAMP}), {@code byte[]}, {@code List}, {@code Map} and, for a struct, a nested
 * {@code StoredRow}. Null stays null, inside lists too; a column the table does not have (an older warehouse) reads as
 * null, as Spark reads it once the store has added the column.
 */
public final class StoredRow {
    private final Map<String, Object> values;

    private StoredRow(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** A row of the given values, in the given order (for tests and for rows made in code). */
    public static StoredRow of(Map<String, ?> values) {
        return new StoredRow(new LinkedHashMap<>(values));
    }

    static StoredRow of(Record record) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Types.NestedField f : record.struct().fields()) {
            values.put(f.name(), plain(record.getField(f.name())));
        }
        return new StoredRow(values);
    }

    /** The column's value; null when it is null or the table has no such column. */
    public Object get(String column) {
        return values.get(column);
    }

    public String string(String column) {
        Object v = values.get(column);
        return v == null ? null : v.toString();
    }

    /** An array column's elements; empty when the value is null. */
    @SuppressWarnings("unchecked")
    public List<Object> list(String column) {
        return values.get(column) instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** Every column read, in the table's order. */
    public Map<String, Object> values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredRow r && values.equals(r.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** Iceberg's generic value as a plain one: time zones dropped from instants, buffers copied, nesting converted. */
    private static Object plain(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof ByteBuffer b) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
        if (v instanceof Record r) {
            return of(r);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(plain(x)));
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(plain(k), plain(x)));
            return Collections.unmodifiableMap(out);
        }
        return v;
    }
}
