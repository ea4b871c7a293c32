package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.schema.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a text value of a tenant column names the tenant as the servers' tenant predicate decides it: under the
 * column's collation, where {@code 'ACME'} and {@code 'acme '} equal {@code 'acme'} (case-insensitive collations,
 * and every PAD SPACE one, {@code _bin} included, ignores trailing spaces). The copy and the stream's re-read take
 * such rows for the tenant, so the stream's filter must not leave their changes out: a changed row that no stream
 * marks is not re-read, not in the dirty set the freeze verifies, and stale after the switch.
 *
 * <p>Each distinct value is asked of the source server once per collation and the answer kept (there are about as
 * many distinct values as tenants). A question that fails answers "may be" (the re-read decides), without keeping it.
 */
final class CollatedTenantMatch {
    private static final Logger log = LoggerFactory.getLogger(CollatedTenantMatch.class);
    /** Answers kept at most; past it values are asked each time (a tenant column with that many values is odd). */
    private static final int MAX_KEPT = 100_000;
    /** What a charset or collation name is made of: anything else is not spliced into the statement. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_]+");

    private final DataSource source;
    private final String tenant;
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    CollatedTenantMatch(DataSource source, String tenant) {
        this.source = source;
        this.tenant = tenant;
    }

    /** Whether {@code value} (text, as decoded from a change) equals the tenant id in {@code column}. */
    boolean matches(Column column, String value) {
        if (value.equals(tenant)) {
            return true;
        }
        if (column.collation().isEmpty() || column.charset().isEmpty()) {
            return false; // not text: equal only when identical
        }
        String key = column.collation().get() + '\u0000' + value;
        Boolean known = answers.get(key);
        if (known != null) {
            return known;
        }
        Boolean answer = ask(column.charset().get(), column.collation().get(), value);
        if (answer == null) {
            return true;
        }
        if (answers.size() < MAX_KEPT) {
            answers.put(key, answer);
        }
        return answer;
    }

    /** The server's answer, or null when it could not be asked. Names come from the inspected schema. */
    private Boolean ask(String charset, String collation, String value) {
        if (!NAME.matcher(charset).matches() || !NAME.matcher(collation).matches()) {
            return null;
        }
        String sql = "SELECT CONVERT(? USING " + charset + ") COLLATE " + collation + " = CONVERT(? USING " + charset
                + ") COLLATE " + collation;
        try (Connection c = source.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.setString(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            log.warn("could not compare tenant value {} with {} under collation {} on the source ({}); its change is"
                    + " re-read to decide", value, tenant, collation, e.getMessage());
            return null;
        }
    }
}
