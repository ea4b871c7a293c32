package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.schema.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collation keys of a text join column's values: two values have the same key exactly when the source server's
 * collation calls them equal, as the copy's join and the stream's re-read do ({@code 'ACME-1'} and {@code 'acme-1 '}
 * under a {@code _ci} PAD SPACE collation). The key is the server's {@code WEIGHT_STRING} of the value, its trailing
 * spaces removed first under a PAD SPACE collation (the weights keep them). The tenant filter keeps the keys of the
 * tenant's parent values beside the values themselves, so that a child whose join value differs from its parent's
 * key only in case, accents or trailing spaces is judged the tenant's.
 *
 * <p>Each distinct value is asked of the server once and its key kept. {@code WEIGHT_STRING} exists from MySQL 5.6
 * and MariaDB 10.0.5; on an older server, or a column whose names cannot be spliced, {@link #key} is empty and the
 * caller matches values exactly (logged once). A question that fails answers empty too, without keeping it.
 */
final class CollationKeys {
    private static final Logger log = LoggerFactory.getLogger(CollationKeys.class);
    /** Keys kept at most; past it values are asked each time. */
    private static final int MAX_KEPT = 200_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
    /** NO PAD collations (MariaDB's {@code _nopad_}, MySQL 8's UCA 9.0.0 ones): trailing spaces count there. */
    private static final Pattern NO_PAD = Pattern.compile(".*(_nopad_|_0900_).*");
    /**
     * Errors that say keys cannot be read on this server at all: no WEIGHT_STRING (1305, or 1064 where the parser
     * does not know it), an unknown charset or collation (1115, 1273), or one not valid there (1253, 1267, 1270,
     * 1271). Any other error may pass, and is not taken as "never".
     */
    private static final java.util.Set<Integer> CANNOT_KEY = java.util.Set.of(1305, 1064, 1115, 1273, 1253, 1267,
            1270, 1271);
    private static final long WARN_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    /** Links warned about once in this process (their warning would repeat for every stream and watch built). */
    private static final java.util.Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final DataSource source;
    private final String column;
    private final String charset;
    private final String collation;
    private final String sql;
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private volatile boolean unavailable;
    private volatile long warnedAt = System.nanoTime() - WARN_EVERY_NANOS - 1;

    private CollationKeys(DataSource source, String column, String charset, String collation) {
        this.source = source;
        this.column = column;
        this.charset = charset;
        this.collation = collation;
        this.sql = "SELECT " + keyExpression("?");
    }

    /**
     * The keys of a join link's values, {@code child} referring to {@code parent} ({@code table.column} names, for
     * messages), under the collation the server compares the two columns by: their own when they share it; of
     * one charset, the {@code _bin} one; of two, the Unicode one ({@code utf8mb4} over {@code utf8mb3}). Empty
     * when they are compared byte by byte anyway (binary, or not text), and when no collation wins (the server
     * refuses such a join, so the copy could not have taken such rows either): values are then matched exactly
     * (warned once per link).
     */
    static Optional<CollationKeys> of(DataSource source, String childName, Column child, String parentName,
                                      Column parent) {
        if (parent.charset().isEmpty() || parent.collation().isEmpty() || child.charset().isEmpty()
                || child.collation().isEmpty()) {
            return Optional.empty();
        }
        if (parent.charset().get().equalsIgnoreCase("binary") || child.charset().get().equalsIgnoreCase("binary")) {
            return Optional.empty();
        }
        String name = childName + " -> " + parentName;
        Optional<Column> wins = comparedBy(child, parent);
        if (wins.isEmpty()) {
            warnOnce(name, "the two columns' collations (" + child.collation().get() + ", " + parent.collation().get()
                    + ") have no common one the server would compare them by");
            return Optional.empty();
        }
        String charset = wins.get().charset().get();
        String collation = wins.get().collation().get();
        if (!NAME.matcher(charset).matches() || !NAME.matcher(collation).matches()) {
            warnOnce(name, "its charset " + charset + " or collation " + collation + " is not a plain name");
            return Optional.empty();
        }
        return Optional.of(new CollationKeys(source, name, charset, collation));
    }

    /** The column whose collation a comparison of the two takes, by the servers' coercion rules for two columns. */
    private static Optional<Column> comparedBy(Column child, Column parent) {
        String cc = child.charset().get().toLowerCase(Locale.ROOT);
        String pc = parent.charset().get().toLowerCase(Locale.ROOT);
        String cl = child.collation().get().toLowerCase(Locale.ROOT);
        String pl = parent.collation().get().toLowerCase(Locale.ROOT);
        if (cc.equals(pc)) {
            if (cl.equals(pl)) {
                return Optional.of(parent);
            }
            boolean childBin = cl.endsWith("_bin");
            boolean parentBin = pl.endsWith("_bin");
            return childBin == parentBin ? Optional.empty() : Optional.of(childBin ? child : parent);
        }
        if (cc.equals("utf8mb4") && (pc.equals("utf8mb3") || pc.equals("utf8"))) {
            return Optional.of(child);
        }
        if (pc.equals("utf8mb4") && (cc.equals("utf8mb3") || cc.equals("utf8"))) {
            return Optional.of(parent);
        }
        boolean childUnicode = unicode(cc);
        boolean parentUnicode = unicode(pc);
        return childUnicode == parentUnicode ? Optional.empty() : Optional.of(childUnicode ? child : parent);
    }

    private static boolean unicode(String charset) {
        return charset.startsWith("utf") || charset.equals("ucs2");
    }

    private static void warnOnce(String link, String why) {
        if (WARNED.add(link)) {
            log.warn("text join {}: {}; its values are matched exactly, so the stream does not follow a child whose"
                    + " value equals its parent's only under a collation (case, accents, trailing spaces), and a change"
                    + " to such a child reaches the new site only by verification; to have them followed, give the two"
                    + " columns one collation on a server with WEIGHT_STRING (MySQL 5.6, MariaDB 10.0.5 and later)",
                    link, why);
        }
    }

    /**
     * The SQL of the key of {@code expression} (a column of either side of the link, or a parameter) in a select
     * list: converted to the comparison's charset, its trailing spaces removed under a PAD SPACE collation (its
     * weights still hold them), and weighed under the comparison's collation.
     */
    String keyExpression(String expression) {
        String converted = "CONVERT(" + expression + " USING " + charset + ")";
        String comparable = NO_PAD.matcher(collation.toLowerCase(Locale.ROOT)).matches() ? converted
                : "TRIM(TRAILING ' ' FROM " + converted + ")";
        return "HEX(WEIGHT_STRING(" + comparable + " COLLATE " + collation + "))";
    }

    /** False once the server turned out to lack {@code WEIGHT_STRING}: values are then matched exactly. */
    boolean available() {
        return !unavailable;
    }

    /** Keeps {@code key} as {@code value}'s (read with the tenant's values at the start). */
    void known(String value, String key) {
        if (keys.size() < MAX_KEPT) {
            keys.put(value, key);
        }
    }

    /** The key of {@code value}, or empty when the server cannot give it (see the class comment). */
    Optional<String> key(String value) {
        String known = keys.get(value);
        if (known != null) {
            return Optional.of(known);
        }
        if (unavailable) {
            return Optional.empty();
        }
        try (Connection c = source.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String key = rs.getString(1);
                if (key == null) {
                    return Optional.empty();
                }
                if (keys.size() < MAX_KEPT) {
                    keys.put(value, key);
                }
                return Optional.of(key);
            }
        } catch (SQLException e) {
            if (cannotKey(e)) {
                unavailable("the source server cannot weigh its values (" + e.getMessage() + "; WEIGHT_STRING needs"
                        + " MySQL 5.6 or MariaDB 10.0.5)");
            } else if (System.nanoTime() - warnedAt > WARN_EVERY_NANOS) {
                warnedAt = System.nanoTime();
                // No value in the message: it may be a customer's e-mail address or name.
                log.warn("could not read the collation key of a value of {} on the source ({}); such values count as"
                        + " perhaps the tenant's until it can (warned once a minute)", column, e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** Whether {@code e} says that keys cannot be read on this server at all (see {@link #CANNOT_KEY}). */
    static boolean cannotKey(SQLException e) {
        return CANNOT_KEY.contains(e.getErrorCode());
    }

    /** Keys cannot be read here ({@code why}): values are matched exactly from now on. */
    void unavailable(String why) {
        if (!unavailable) {
            unavailable = true;
            warnOnce(column, why);
        }
    }
}
