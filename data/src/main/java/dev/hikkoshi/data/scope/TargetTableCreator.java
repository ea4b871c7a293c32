package dev.hikkoshi.data.scope;

import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates tables that are missing on the target from the source's own definition ({@code SHOW CREATE TABLE},
 * which every MySQL version has), adapted for the target: the AUTO_INCREMENT counter is left out (the target
 * keeps its own, interleaved with the source's), and a column whose bytes the config declares to be in
 * another charset ({@code charset-overrides}) becomes utf8mb4. Used by {@code hikkoshi data verify --schema
 * --create-missing}.
 */
public final class TargetTableCreator {
    private static final Pattern AUTO_INCREMENT_OPTION = Pattern.compile("\\s+AUTO_INCREMENT=\\d+");
    private static final Pattern CHARSET_CLAUSE = Pattern.compile("\\s+(CHARACTER SET|COLLATE) \\w+");

    private final SiteDatabase source;
    private final SiteDatabase target;

    public TargetTableCreator(SiteDatabase source, SiteDatabase target) {
        this.source = source;
        this.target = target;
    }

    /** The tables of {@code scopeTables} that the target schema does not have. */
    public static List<Table> missing(List<Table> scopeTables, Schema targetSchema) {
        return scopeTables.stream().filter(t -> targetSchema.table(t.name()).isEmpty()).toList();
    }

    /** The problem of a table in scope that the target lacks, for {@code verify --schema} without creating it. */
    public static ScopeProblem missingProblem(String table) {
        return ScopeProblem.error(table, "table " + quote(table) + " does not exist on the target",
                "create it from the source's definition with 'hikkoshi data verify --schema --create-missing',"
                        + " or create it yourself");
    }

    /** Creates each table on the target, in one session with foreign key checks off (any order works). */
    public List<String> create(List<Table> tables) {
        List<String> created = new ArrayList<>();
        try (Connection c = target.dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setCatalog(target.schema());
            s.execute("SET SESSION FOREIGN_KEY_CHECKS = 0");
            try {
                for (Table table : tables) {
                    s.execute(adapt(source.inspector().showCreateTable(source.schema(), table.name()), table,
                            source.config()));
                    created.add(table.name());
                }
            } finally {
                s.execute("SET SESSION FOREIGN_KEY_CHECKS = 1");
            }
        } catch (SQLException e) {
            throw new DatabaseException("creating missing tables " + created.size() + " of " + tables.size()
                    + " (created so far: " + created + ")", target.describe(), e);
        }
        return created;
    }

    /** The source's CREATE TABLE adapted for the target (see the class comment). */
    static String adapt(String createTable, Table table, DatabaseConfig sourceConfig) {
        String sql = AUTO_INCREMENT_OPTION.matcher(createTable).replaceFirst("");
        List<String> lines = new ArrayList<>(List.of(sql.split("\n", -1)));
        for (Column column : table.columns()) {
            Optional<String> override = sourceConfig.charsetOverride(table.name(), column.name());
            if (override.isEmpty() || !column.textual()) {
                continue;
            }
            String start = "  " + quote(column.name()) + " " + column.columnType();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(start)) {
                    String rest = CHARSET_CLAUSE.matcher(lines.get(i).substring(start.length())).replaceAll("");
                    lines.set(i, start + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" + rest);
                }
            }
        }
        return String.join("\n", lines);
    }
}
