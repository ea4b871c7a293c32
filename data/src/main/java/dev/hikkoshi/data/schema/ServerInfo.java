package dev.hikkoshi.data.schema;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a MySQL-compatible server is and how it is set up, read once per connection pool by
 * {@link SchemaInspector#serverInfo()}: version and flavour (which decide the SQL hikkoshi may send it),
 * binlog settings (for change capture), {@code max_allowed_packet} (which sizes statements and batches),
 * {@code lower_case_table_names}, default charset, {@code sql_mode}, auto-increment interleaving, and what a
 * LOAD DATA LOCAL would meet ({@code local_infile}, {@code innodb_autoinc_lock_mode}).
 * Variables a server does not have (such as {@code binlog_row_image} before MySQL 5.6) are empty.
 */
public record ServerInfo(String version, ServerFlavour flavour, int major, int minor, int patch,
                         boolean logBin, Optional<String> binlogFormat, Optional<String> binlogRowImage, long serverId,
                         long maxAllowedPacketBytes, int lowerCaseTableNames, String characterSetServer,
                         String collationServer, String sqlMode, long autoIncrementIncrement,
                         long autoIncrementOffset, boolean localInfile, int autoIncrementLockMode) {
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    public ServerInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(binlogFormat, "binlogFormat");
        Objects.requireNonNull(binlogRowImage, "binlogRowImage");
    }

    /** Builds the record from {@code SELECT VERSION()} and {@code SHOW GLOBAL VARIABLES} (lower-case names). */
    public static ServerInfo of(String version, Map<String, String> variables) {
        Matcher m = VERSION.matcher(version);
        int major = 0;
        int minor = 0;
        int patch = 0;
        if (m.find()) {
            major = Integer.parseInt(m.group(1));
            minor = Integer.parseInt(m.group(2));
            patch = Integer.parseInt(m.group(3));
        }
        String comment = variables.getOrDefault("version_comment", "");
        ServerFlavour flavour = version.contains("MariaDB") || comment.contains("MariaDB")
                ? ServerFlavour.MARIADB : ServerFlavour.MYSQL;
        return new ServerInfo(version, flavour, major, minor, patch,
                on(variables.get("log_bin")),
                Optional.ofNullable(variables.get("binlog_format")),
                Optional.ofNullable(variables.get("binlog_row_image")),
                number(variables.get("server_id"), 0),
                number(variables.get("max_allowed_packet"), 1 << 20),
                (int) number(variables.get("lower_case_table_names"), 0),
                variables.getOrDefault("character_set_server", "latin1"),
                variables.getOrDefault("collation_server", "latin1_swedish_ci"),
                variables.getOrDefault("sql_mode", ""),
                number(variables.get("auto_increment_increment"), 1),
                number(variables.get("auto_increment_offset"), 1),
                on(variables.get("local_infile")),
                // Without the variable (before MySQL 5.1.22), every insert takes the table's AUTO-INC lock: mode 0.
                (int) number(variables.get("innodb_autoinc_lock_mode"), 0));
    }

    /** The global variables {@link #of} reads. */
    static final String[] VARIABLES = {"version_comment", "log_bin", "binlog_format", "binlog_row_image", "server_id",
            "max_allowed_packet", "lower_case_table_names", "character_set_server", "collation_server", "sql_mode",
            "auto_increment_increment", "auto_increment_offset", "local_infile", "innodb_autoinc_lock_mode"};

    /** True when the version is at least {@code major.minor.patch} (compare within one flavour). */
    public boolean atLeast(int major, int minor, int patch) {
        if (this.major != major) {
            return this.major > major;
        }
        if (this.minor != minor) {
            return this.minor > minor;
        }
        return this.patch >= patch;
    }

    /** utf8mb4 exists from MySQL 5.5.3 and MariaDB 5.5. */
    public boolean supportsUtf8mb4() {
        return switch (flavour) {
            case MYSQL -> atLeast(5, 5, 3);
            case MARIADB -> atLeast(5, 5, 0);
        };
    }

    /** information_schema.COLUMNS.GENERATION_EXPRESSION exists from MySQL 5.7.6 and MariaDB 10.2.5. */
    public boolean describesGeneratedColumns() {
        return switch (flavour) {
            case MYSQL -> atLeast(5, 7, 6);
            case MARIADB -> atLeast(10, 2, 5);
        };
    }

    /** information_schema.REFERENTIAL_CONSTRAINTS (ON DELETE/UPDATE actions) exists from MySQL 5.1.10. */
    public boolean hasReferentialConstraintsTable() {
        return switch (flavour) {
            case MYSQL -> atLeast(5, 1, 10);
            case MARIADB -> true;
        };
    }

    /** The JSON type: MySQL 5.7.8; MariaDB accepts it from 10.2.7 as an alias of LONGTEXT. */
    public boolean supportsJson() {
        return switch (flavour) {
            case MYSQL -> atLeast(5, 7, 8);
            case MARIADB -> atLeast(10, 2, 7);
        };
    }

    /** Binlog on in ROW format: what binlog change capture needs. */
    public boolean rowBinlog() {
        return logBin && binlogFormat.map("ROW"::equalsIgnoreCase).orElse(false);
    }

    /** {@code MariaDB 10.11.5}, {@code MySQL 5.0.96}: how messages name the server. */
    public String product() {
        return (flavour == ServerFlavour.MARIADB ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
    }

    /** One line for logs and {@code data inspect}: {@code MariaDB 10.11.5 (binlog ROW/FULL, server_id 101)}. */
    public String describe() {
        String binlog = logBin ? "binlog " + binlogFormat.orElse("?") + binlogRowImage.map(i -> "/" + i).orElse("")
                : "binlog off";
        return product() + " (" + binlog + ", server_id " + serverId
                + ", max_allowed_packet " + maxAllowedPacketBytes + ", " + characterSetServer + ")";
    }

    private static boolean on(String value) {
        return value != null && (value.equalsIgnoreCase("ON") || value.equals("1"));
    }

    private static long number(String value, long defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }
}
