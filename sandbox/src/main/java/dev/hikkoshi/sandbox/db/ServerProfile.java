package dev.hikkoshi.sandbox.db;

import java.util.List;

/**
 * How a sandbox MariaDB server is configured. {@link #BINLOG_ROW} is a modern server ready for binlog change
 * capture; {@link #LEGACY_LIKE} stands in for the old MySQL versions (5.0 to 5.5) that cannot run here: no
 * binlog, no strict mode, latin1 by default and a 1 MB packet limit. Used by tests, benchmarks and the demo.
 */
public enum ServerProfile {
    /** Binlog on with {@code binlog_format=ROW}, {@code binlog_row_image=FULL}, utf8mb4 by default. */
    BINLOG_ROW,
    /** Binlog off, {@code sql_mode=''}, latin1 default charset, MyISAM allowed, {@code max_allowed_packet=1M}. */
    LEGACY_LIKE;

    /** The mysqld options of this profile; {@code serverId} is the server's replication id. */
    public List<String> serverArgs(int serverId) {
        return switch (this) {
            case BINLOG_ROW -> List.of(
                    "--log-bin=mysql-bin",
                    "--binlog_format=ROW",
                    "--binlog_row_image=FULL",
                    "--server_id=" + serverId,
                    "--character-set-server=utf8mb4",
                    "--collation-server=utf8mb4_general_ci",
                    "--max_allowed_packet=64M");
            // MyISAM stays allowed: MariaDB enforces no storage engine unless told to.
            case LEGACY_LIKE -> List.of(
                    "--skip-log-bin",
                    "--server_id=" + serverId,
                    "--sql_mode=",
                    "--character-set-server=latin1",
                    "--collation-server=latin1_swedish_ci",
                    "--max_allowed_packet=1M");
        };
    }
}
