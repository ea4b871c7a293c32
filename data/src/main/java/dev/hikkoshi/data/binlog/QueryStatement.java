package dev.hikkoshi.data.binlog;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a binlog QUERY event's statement is: transaction control (BEGIN, COMMIT...), a DDL, a statement-format
 * DML, or something else (GRANT, SET...); and which table of a given set it names. Deliberately conservative:
 * a statement that names an in-scope table anywhere counts as touching it, because a false stop costs an
 * operator's look while a missed DDL or DML silently corrupts the target.
 */
record QueryStatement(Kind kind, String sql, String defaultSchema) {
    enum Kind { TRANSACTION_CONTROL, DDL, DML, OTHER }

    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s|/\\*(?!!)[\\s\\S]*?\\*/|#[^\\n]*\\n|--\\s[^\\n]*\\n)*");
    private static final Pattern VERSIONED_COMMENT = Pattern.compile("/\\*!\\d*|\\*/");
    private static final Set<String> CONTROL = Set.of("BEGIN", "COMMIT", "ROLLBACK", "XA", "SAVEPOINT", "RELEASE",
            "START");
    private static final Set<String> DDL = Set.of("ALTER", "CREATE", "DROP", "RENAME", "TRUNCATE");
    private static final Set<String> DML = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD");
    /**
     * CREATE or DROP of a trigger: not a change of its table's columns (row images keep their shape), and in ROW
     * format what a trigger writes is logged as row events of the tables it writes, which the stream reads like
     * any other. Stopping on it would stop every binlog stream of a table whenever hikkoshi's trigger capture (or
     * the application) installs or removes a trigger there.
     */
    private static final Pattern TRIGGER_DDL = Pattern.compile("(?i)^(CREATE|DROP)\\s+(OR\\s+REPLACE\\s+)?"
            + "(DEFINER\\s*=\\s*\\S+\\s+)?TRIGGER\\s");

    static QueryStatement of(String sql, String defaultSchema) {
        String body = VERSIONED_COMMENT.matcher(LEADING_COMMENTS.matcher(sql).replaceFirst("")).replaceAll(" ").trim();
        String first = body.split("[\\s(;]", 2)[0].toUpperCase(Locale.ROOT);
        Kind kind = CONTROL.contains(first) && !first.equals("START") || body.toUpperCase(Locale.ROOT).startsWith("START TRANSACTION")
                ? Kind.TRANSACTION_CONTROL
                : TRIGGER_DDL.matcher(body).find() ? Kind.OTHER
                : DDL.contains(first) ? Kind.DDL : DML.contains(first) ? Kind.DML : Kind.OTHER;
        return new QueryStatement(kind, sql, defaultSchema == null ? "" : defaultSchema);
    }

    /**
     * The first table of {@code tables} (schema-qualified names {@code schema.table}) that the statement names,
     * either qualified or unqualified while its default schema is the table's; a DROP/ALTER DATABASE of a
     * table's schema names every table in it.
     */
    Optional<String> touches(Set<String> tables) {
        for (String qualified : tables) {
            int dot = qualified.indexOf('.');
            String schema = qualified.substring(0, dot);
            String table = qualified.substring(dot + 1);
            if (names(schema, table) || dropsSchema(schema)) {
                return Optional.of(qualified);
            }
        }
        return Optional.empty();
    }

    private boolean names(String schema, String table) {
        String name = "(?:`" + Pattern.quote(table.replace("`", "``")) + "`|" + Pattern.quote(table) + "(?![\\w$`]))";
        // Either schema.table (any spacing, either part quoted) or the bare name, not preceded by a dot.
        Pattern p = Pattern.compile("(?i)(?:(`(?:[^`]|``)+`|[\\w$]+)\\s*\\.\\s*" + name + "|(?<![\\w$`.])" + name + ")");
        Matcher m = p.matcher(sql);
        while (m.find()) {
            String qualifier = m.group(1);
            String inSchema = qualifier == null ? defaultSchema : unquote(qualifier);
            if (inSchema.equalsIgnoreCase(schema)) {
                return true;
            }
        }
        return false;
    }

    private boolean dropsSchema(String schema) {
        return kind == Kind.DDL && Pattern.compile("(?i)^\\s*(DROP|ALTER)\\s+(DATABASE|SCHEMA)\\s+(IF\\s+EXISTS\\s+)?`?"
                + Pattern.quote(schema) + "`?(\\s|;|$)").matcher(sql).find();
    }

    private static String unquote(String identifier) {
        return identifier.startsWith("`") ? identifier.substring(1, identifier.length() - 1).replace("``", "`") : identifier;
    }
}
