package dev.hikkoshi.cutover.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The structure of one table as a {@link Fingerprint} keeps it: each column as {@code name definition} (type,
 * nullability, default, auto_increment, generated) in ordinal order, and each key (primary, unique, index,
 * foreign) as one line, in name order. Row counts, comments and AUTO_INCREMENT counters are left out: they
 * change without the structure changing.
 */
public record TableShape(List<String> columns, List<String> keys) {
    public TableShape {
        columns = List.copyOf(columns);
        keys = List.copyOf(keys);
    }

    /** SHA-256 of the structure, hex: equal digests, equal structure. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String line : columns) {
                sha.update(("c " + line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            for (String line : keys) {
                sha.update(("k " + line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * What changed from {@code this} (assumed) to {@code now}, in words: {@code column note added},
     * {@code column total changed (decimal(10,2) NOT NULL -> decimal(12,2) NOT NULL)}, {@code key idx_a removed}.
     */
    public List<String> changes(TableShape now) {
        List<String> out = new ArrayList<>();
        compare("column", byName(columns), byName(now.columns), out);
        compare("key", byName(keys), byName(now.keys), out);
        if (out.isEmpty() && !columns.equals(now.columns)) {
            out.add("columns reordered");
        }
        return out;
    }

    private static void compare(String kind, Map<String, String> before, Map<String, String> after, List<String> out) {
        for (Map.Entry<String, String> e : before.entrySet()) {
            String then = e.getValue();
            String now = after.get(e.getKey());
            if (now == null) {
                out.add(kind + " " + e.getKey() + " removed");
            } else if (!Objects.equals(then, now)) {
                out.add(kind + " " + e.getKey() + " changed (" + then + " -> " + now + ")");
            }
        }
        for (String name : after.keySet()) {
            if (!before.containsKey(name)) {
                out.add(kind + " " + name + " added");
            }
        }
    }

    /** Each line is {@code name rest}; names are unique within a table's columns and within its keys. */
    private static Map<String, String> byName(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            out.put(space < 0 ? line : line.substring(0, space), space < 0 ? "" : line.substring(space + 1));
        }
        return out;
    }
}
