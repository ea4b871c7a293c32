package dev.hikkoshi.data.config;

/** How changes are captured on a site's database when it is the source of a move (docs/architecture.md). */
public enum CaptureMode {
    /** Row binlog (MySQL 5.1+ / MariaDB with binlog_format=ROW). */
    BINLOG,
    /** Triggers recording changed keys in a change-log table (MySQL 5.0 and up). */
    TRIGGERS,
    /** Chunk checksum comparison, no capture privileges needed. */
    DIFFERENTIAL
}
