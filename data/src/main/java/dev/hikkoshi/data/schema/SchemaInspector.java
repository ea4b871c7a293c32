package dev.hikkoshi.data.schema;

import dev.hikkoshi.data.connect.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Reads a database's tables, columns, keys, foreign keys and triggers from information_schema, and the
 * server's version and settings, through JDBC. Used by the scope check, by {@code hikkoshi data inspect} and
 * {@code verify --schema}, and by copy and verification to learn the tables they work on.
 *
 * <p>Old servers: the SQL stays within what MySQL 5.0 supports. Columns added to information_schema later
 * (generation expressions, REFERENTIAL_CONSTRAINTS) are read only when {@link ServerInfo} says the server has
 * them; otherwise the foreign keys' actions come from {@code SHOW CREATE TABLE}. Triggers are listed only if
 * the user may see them (the TRIGGER privilege, or SUPER before MySQL 5.1.6).
 */
public final class SchemaInspector {
    private static final Pattern FOREIGN_KEY_ACTIONS = Pattern.compile(
            "CONSTRAINT `((?:[^`]|``)+)` FOREIGN KEY [^\\n]*?REFERENCES [^\\n]*?\\)"
                    + "(?: ON DELETE (RESTRICT|CASCADE|SET NULL|NO ACTION|SET DEFAULT))?"
                    + "(?: ON UPDATE (RESTRICT|CASCADE|SET NULL|NO ACTION|SET DEFAULT))?");

    private final DataSource dataSource;
    private final String serverName;
    private volatile ServerInfo serverInfo;

    /** {@code serverName} names the server in error messages ({@code site legacy (10.0.1.20:3306)}). */
    public SchemaInspector(DataSource dataSource, String serverName) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
    }

    /**
     * An inspector that takes the server to be {@code assumed} and sends only the SQL that version supports;
     * tests use it to run MySQL 5.0's inspection path against the sandbox's MariaDB.
     */
    SchemaInspector(DataSource dataSource, String serverName, ServerInfo assumed) {
        this(dataSource, serverName);
        this.serverInfo = assumed;
    }

    /** The server's version and settings, read once. */
    public ServerInfo serverInfo() {
        ServerInfo info = serverInfo;
        if (info == null) {
            try (Connection c = dataSource.getConnection()) {
                info = readServerInfo(c);
            } catch (SQLException e) {
                throw new DatabaseException("reading the server's version and variables", serverName, e);
            }
            serverInfo = info;
        }
        return info;
    }

    static ServerInfo readServerInfo(Connection c) throws SQLException {
        String version;
        Map<String, String> variables = new HashMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            // SHOW VARIABLES ... WHERE works from MySQL 5.0; variables the server lacks are simply absent.
            StringBuilder names = new StringBuilder();
            for (String v : ServerInfo.VARIABLES) {
                names.append(names.length() == 0 ? "'" : ", '").append(v).append('\'');
            }
            try (ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN (" + names + ")")) {
                while (rs.next()) {
                    variables.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2));
                }
            }
        }
        return ServerInfo.of(version, variables);
    }

    /** Every base table of {@code schema} (views are not copied), sorted by name; empty if the schema is empty. */
    public Schema inspect(String schema) {
        ServerInfo info = serverInfo();
        try (Connection c = dataSource.getConnection()) {
            return read(c, schema, info);
        } catch (SQLException e) {
            throw new DatabaseException("reading information_schema of schema " + schema, serverName, e);
        }
    }

    /** True when the server has a schema named {@code schema}. */
    public boolean schemaExists(String schema) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new DatabaseException("looking for schema " + schema, serverName, e);
        }
    }

    /** The server's own {@code CREATE TABLE} statement for a table. */
    public String showCreateTable(String schema, String table) {
        try (Connection c = dataSource.getConnection()) {
            return showCreateTable(c, schema, table);
        } catch (SQLException e) {
            throw new DatabaseException("SHOW CREATE TABLE " + schema + "." + table, serverName, e);
        }
    }

    private static String showCreateTable(Connection c, String schema, String table) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + SqlIdentifier.qualified(schema, table))) {
            rs.next();
            return rs.getString(2);
        }
    }

    private static Schema read(Connection c, String schema, ServerInfo info) throws SQLException {
        Map<String, TableParts> parts = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, TABLE_ROWS"
                + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    parts.put(rs.getString(1), new TableParts(rs.getString(1), Optional.ofNullable(rs.getString(2)).orElse(""),
                            Optional.ofNullable(rs.getString(3)), rs.getLong(4)));
                }
            }
        }
        readColumns(c, schema, info, parts);
        readIndexes(c, schema, parts);
        readForeignKeys(c, schema, info, parts);
        readTriggers(c, schema, parts);
        Map<String, String> charsets = collationCharsets(c);
        List<Table> tables = new ArrayList<>();
        for (TableParts p : parts.values()) {
            tables.add(p.toTable(charsets));
        }
        return new Schema(schema, tables);
    }

    private static void readColumns(Connection c, String schema, ServerInfo info, Map<String, TableParts> parts)
            throws SQLException {
        String generation = info.describesGeneratedColumns() ? ", GENERATION_EXPRESSION" : "";
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE,"
                + " COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME, COLLATION_NAME, EXTRA" + generation
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableParts t = parts.get(rs.getString(1));
                    if (t == null) {
                        continue; // a view's column
                    }
                    String extra = Optional.ofNullable(rs.getString(9)).orElse("").toUpperCase(java.util.Locale.ROOT);
                    Optional<String> expression = Optional.empty();
                    if (!generation.isEmpty()) {
                        expression = Optional.ofNullable(rs.getString(10)).filter(s -> !s.isBlank());
                    }
                    if (expression.isEmpty() && (extra.contains("GENERATED") || extra.contains("VIRTUAL")
                            || extra.contains("PERSISTENT"))) {
                        // MariaDB 5.2 to 10.2.4 has virtual columns but does not show their expression here.
                        expression = Optional.of("(expression not shown by this server)");
                    }
                    t.columns.add(new Column(rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                            "YES".equals(rs.getString(6)), Optional.ofNullable(rs.getString(7)),
                            Optional.ofNullable(rs.getString(8)), expression, extra.contains("AUTO_INCREMENT")));
                }
            }
        }
    }

    private static void readIndexes(Connection c, String schema, Map<String, TableParts> parts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME"
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableParts t = parts.get(rs.getString(1));
                    if (t != null) {
                        t.indexColumns.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(4));
                        t.nonUnique.put(rs.getString(2), rs.getInt(3) != 0);
                    }
                }
            }
        }
    }

    private static void readForeignKeys(Connection c, String schema, ServerInfo info, Map<String, TableParts> parts)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME,"
                + " REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME"
                + " FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL"
                + " ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableParts t = parts.get(rs.getString(1));
                    if (t != null) {
                        String referencedSchema = rs.getString(4);
                        String referencedTable = rs.getString(5);
                        ForeignKeyParts fk = t.foreignKeys.computeIfAbsent(rs.getString(2),
                                k -> new ForeignKeyParts(referencedSchema, referencedTable));
                        fk.columns.add(rs.getString(3));
                        fk.referencedColumns.add(rs.getString(6));
                    }
                }
            }
        }
        if (info.hasReferentialConstraintsTable()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE"
                    + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?")) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TableParts t = parts.get(rs.getString(1));
                        ForeignKeyParts fk = t == null ? null : t.foreignKeys.get(rs.getString(2));
                        if (fk != null) {
                            fk.onDelete = ReferentialAction.parse(rs.getString(3));
                            fk.onUpdate = ReferentialAction.parse(rs.getString(4));
                        }
                    }
                }
            }
        } else {
            for (TableParts t : parts.values()) {
                if (!t.foreignKeys.isEmpty()) {
                    readActionsFromCreateTable(showCreateTable(c, schema, t.name), t);
                }
            }
        }
    }

    /** Before MySQL 5.1.10 the actions are only in SHOW CREATE TABLE; an absent clause means RESTRICT. */
    static void readActionsFromCreateTable(String createTable, TableParts t) {
        Matcher m = FOREIGN_KEY_ACTIONS.matcher(createTable);
        while (m.find()) {
            ForeignKeyParts fk = t.foreignKeys.get(m.group(1).replace("``", "`"));
            if (fk != null) {
                fk.onDelete = m.group(2) == null ? ReferentialAction.RESTRICT : ReferentialAction.parse(m.group(2));
                fk.onUpdate = m.group(3) == null ? ReferentialAction.RESTRICT : ReferentialAction.parse(m.group(3));
            }
        }
    }

    private static void readTriggers(Connection c, String schema, Map<String, TableParts> parts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING,"
                + " EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ?"
                + " ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableParts t = parts.get(rs.getString(2));
                    if (t != null) {
                        t.triggers.add(new Trigger(rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
        }
    }

    private static Map<String, String> collationCharsets(Connection c) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY")) {
            while (rs.next()) {
                out.putIfAbsent(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** A table being assembled from several information_schema queries. */
    static final class TableParts {
        final String name;
        final String engine;
        final Optional<String> collation;
        final long rowEstimate;
        final List<Column> columns = new ArrayList<>();
        final Map<String, List<String>> indexColumns = new LinkedHashMap<>();
        final Map<String, Boolean> nonUnique = new HashMap<>();
        final Map<String, ForeignKeyParts> foreignKeys = new TreeMap<>();
        final List<Trigger> triggers = new ArrayList<>();

        TableParts(String name, String engine, Optional<String> collation, long rowEstimate) {
            this.name = name;
            this.engine = engine;
            this.collation = collation;
            this.rowEstimate = rowEstimate;
        }

        Table toTable(Map<String, String> charsets) {
            List<Index> indexes = new ArrayList<>();
            indexColumns.forEach((indexName, cols) -> {
                boolean nonNull = cols.stream().allMatch(col -> columns.stream()
                        .anyMatch(c -> c.name().equalsIgnoreCase(col) && !c.nullable()));
                indexes.add(new Index(indexName, indexName.equals("PRIMARY"), !nonUnique.get(indexName), cols, nonNull));
            });
            // The primary key first, then the others by name: rowKey() relies on it.
            indexes.sort((a, b) -> a.primary() == b.primary() ? a.name().compareTo(b.name()) : a.primary() ? -1 : 1);
            List<ForeignKey> fks = new ArrayList<>();
            foreignKeys.forEach((fkName, fk) -> fks.add(new ForeignKey(fkName, fk.columns, fk.referencedSchema,
                    fk.referencedTable, fk.referencedColumns, fk.onDelete, fk.onUpdate)));
            Optional<String> charset = collation.map(col -> charsets.getOrDefault(col, col.contains("_")
                    ? col.substring(0, col.indexOf('_')) : col));
            return new Table(name, engine, charset, collation, columns, indexes, fks, triggers, rowEstimate);
        }
    }

    /** A foreign key being assembled; the actions default to RESTRICT, MySQL's default. */
    static final class ForeignKeyParts {
        final String referencedSchema;
        final String referencedTable;
        final List<String> columns = new ArrayList<>();
        final List<String> referencedColumns = new ArrayList<>();
        ReferentialAction onDelete = ReferentialAction.RESTRICT;
        ReferentialAction onUpdate = ReferentialAction.RESTRICT;

        ForeignKeyParts(String referencedSchema, String referencedTable) {
            this.referencedSchema = referencedSchema;
            this.referencedTable = referencedTable;
        }
    }
}
