package dev.hikkoshi.data.trigger;

import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.data.capture.WriteMarker;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code CREATE TRIGGER} statement of one table and event. It stays within MySQL 5.0: a single-statement
 * body (no BEGIN ... END, so no delimiter games through JDBC), no {@code FOLLOWS}/{@code PRECEDES}, only
 * functions 5.0 has (HEX, CAST, CONCAT_WS, IFNULL, CONVERT_TZ, UNIX_TIMESTAMP). Each recorded value is written
 * as the hex of its stored bytes ({@code CAST(col AS BINARY)}: text in the column's own charset, numbers and
 * dates as the server's text, zero dates included), so nothing is converted, truncated or lost on the way.
 * TIMESTAMP values are first brought to UTC, since the trigger runs in the application's session time zone.
 */
final class TriggerSql {
    private TriggerSql() {
    }

    static String create(String schema, ChangeLogTable log, CapturedTable table, TriggerEvent event) {
        String oldValues = event == TriggerEvent.INSERT ? "NULL" : values("OLD", table);
        String newValues = event == TriggerEvent.DELETE ? "NULL" : values("NEW", table);
        return "CREATE TRIGGER " + qualified(schema, ChangeLogTable.triggerName(event, table.name()))
                + " AFTER " + event.name() + " ON " + qualified(schema, table.name()) + " FOR EACH ROW"
                + " INSERT INTO " + log.qualifiedName()
                + " (table_name, kind, own_write, column_names, old_values, new_values, changed_unix) VALUES ("
                + literal(table.name()) + ", '" + event.kind() + "', IF(IFNULL(" + WriteMarker.SESSION_VARIABLE
                + ", 0) = 0, 0, 1), " + literal(columnNames(table.recordedColumns())) + ", " + oldValues + ", "
                + newValues + ", UNIX_TIMESTAMP())";
    }

    /** {@code id,tenant_id}, each name with {@code %} and {@code ,} escaped. */
    static String columnNames(List<String> columns) {
        return columns.stream().map(c -> c.replace("%", "%25").replace(",", "%2C")).collect(Collectors.joining(","));
    }

    static List<String> parseColumnNames(String text) {
        return java.util.Arrays.stream(text.split(",", -1)).map(c -> c.replace("%2C", ",").replace("%25", "%")).toList();
    }

    private static String values(String row, CapturedTable table) {
        return "CONCAT_WS(',', " + table.recordedColumns().stream().map(c -> token(row, table, c))
                .collect(Collectors.joining(", ")) + ")";
    }

    private static String token(String row, CapturedTable table, String columnName) {
        String c = row + "." + quote(columnName);
        String value = table.column(columnName).dataType().equals("timestamp")
                ? "IF(" + c + " = 0, " + c + ", CONVERT_TZ(" + c + ", @@session.time_zone, '+00:00'))" : c;
        return "IF(" + c + " IS NULL, 'N', HEX(CAST(" + value + " AS BINARY)))";
    }

    /** A string literal safe under any sql_mode: quotes doubled, backslashes doubled (the install session has sql_mode ''). */
    static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
