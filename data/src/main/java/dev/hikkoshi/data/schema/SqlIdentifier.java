package dev.hikkoshi.data.schema;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Quotes MySQL identifiers (schema, table, column, index names) for SQL text. Names come from config files
 * and from the inspected schema, so they are data: every identifier in SQL that hikkoshi builds goes
 * through {@link #quote}, never through string concatenation of the raw name. Values never do: they are
 * bound as statement parameters.
 *
 * @see <a href="https://dev.mysql.com/doc/refman/5.7/en/identifiers.html">MySQL: schema object names</a>
 */
public final class SqlIdentifier {
    private SqlIdentifier() {
    }

    /** {@code name} in backticks, with every backtick inside doubled. */
    public static String quote(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a usable MySQL identifier: " + (name.isEmpty() ? "(empty)" : "contains NUL"));
        }
        return '`' + name.replace("`", "``") + '`';
    }

    /** {@code `schema`.`table`}. */
    public static String qualified(String schema, String table) {
        return quote(schema) + '.' + quote(table);
    }

    /** {@code `alias`.`column`}. */
    public static String column(String alias, String column) {
        return quote(alias) + '.' + quote(column);
    }

    /** A comma-separated list of quoted names, for column lists. */
    public static String list(List<String> names) {
        return names.stream().map(SqlIdentifier::quote).collect(Collectors.joining(", "));
    }
}
