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
    private static final int NO_SUCH_FUNCTION = 1305;
    private static final int PARSE_ERROR = 1064;
    private static final long WARN_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    private final DataSource source;
    private final String column;
    private final String sql;
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private volatile boolean unavailable;
    private volatile long warnedAt = System.nanoTime() - WARN_EVERY_NANOS - 1;

    private CollationKeys(DataSource source, String column, String charset, String collation) {
        this.source = source;
        this.column = column;
        this.sql = "SELECT HEX(WEIGHT_STRING(" + comparable("CONVERT(? USING " + charset + ")", collation)
                + " COLLATE " + collation + "))";
    }

    /**
     * The keys of a join link's values, {@code child} referring to {@code parent} ({@code table.column} names, for
     * messages), or empty when they are compared byte by byte anyway (not text, or binary) or cannot be keyed here.
     * The two columns must have one charset and collation: otherwise the server compares them under one chosen by
     * its coercion rules (a {@code _bin} side, or the Unicode one), which the keys do not follow, so values are then
     * matched exactly (logged).
     */
    static Optional<CollationKeys> of(DataSource source, String childName, Column child, String parentName,
                                      Column parent) {
        if (parent.charset().isEmpty() || parent.collation().isEmpty()) {
            return Optional.empty();
        }
        String charset = parent.charset().get();
        String collation = parent.collation().get();
        if (charset.equalsIgnoreCase("binary")) {
            return Optional.empty();
        }
        String name = childName + " -> " + parentName;
        if (!charset.equalsIgnoreCase(child.charset().orElse(""))
                || !collation.equalsIgnoreCase(child.collation().orElse(""))) {
            log.warn("text join column {}: the two columns differ in charset or collation ({} {} against {} {}); values"
                    + " are matched exactly, so a child whose value equals its parent's only under the collation the"
                    + " server compares them by is not followed by the stream: give both columns one collation",
                    name, child.charset().orElse("none"), child.collation().orElse("none"), charset, collation);
            return Optional.empty();
        }
        if (!NAME.matcher(charset).matches() || !NAME.matcher(collation).matches()) {
            log.warn("text join column {}: its charset {} or collation {} is not a plain name; its values are matched"
                    + " exactly, so a child whose value differs from its parent's only in case or trailing spaces is"
                    + " not followed", name, charset, collation);
            return Optional.empty();
        }
        return Optional.of(new CollationKeys(source, name, charset, collation));
    }

    /** The SQL of {@code expression}'s key in a statement's select list, for reading keys beside values. */
    static String keyExpression(String expression, Column column) {
        return "HEX(WEIGHT_STRING(" + comparable(expression, column.collation().orElseThrow()) + "))";
    }

    /** Under a PAD SPACE collation a value compares without its trailing spaces, which its weights still hold. */
    private static String comparable(String expression, String collation) {
        return NO_PAD.matcher(collation.toLowerCase(Locale.ROOT)).matches() ? expression
                : "TRIM(TRAILING ' ' FROM " + expression + ")";
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
            if (e.getErrorCode() == NO_SUCH_FUNCTION || e.getErrorCode() == PARSE_ERROR) {
                unavailable("the source server has no WEIGHT_STRING (MySQL 5.6 or MariaDB 10.0.5 and later have it)");
            } else if (System.nanoTime() - warnedAt > WARN_EVERY_NANOS) {
                warnedAt = System.nanoTime();
                // No value in the message: it may be a customer's e-mail address or name.
                log.warn("could not read the collation key of a value of {} on the source ({}); such values count as"
                        + " perhaps the tenant's until it can (warned once a minute)", column, e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** Keys cannot be read here ({@code why}): values are matched exactly from now on. */
    void unavailable(String why) {
        if (!unavailable) {
            unavailable = true;
            log.warn("text join column {}: {}, so its values are matched exactly: the stream does not follow a child"
                    + " whose value equals its parent's only under the collation (case, accents, trailing spaces), and"
                    + " a change to such a child reaches the new site only by verification", column, why);
        }
    }
}
