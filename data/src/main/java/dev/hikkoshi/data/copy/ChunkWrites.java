package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.config.CopyWrite;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.ServerInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one copy's chunks go to the target ({@code data.copy.write}): by {@link LoadDataBatch} or
 * {@link InsertBatch}. Decided once per copy from the target's {@code local_infile} and
 * {@code innodb_autoinc_lock_mode} (read with its other facts, {@link ServerInfo}), and per table; with {@code auto}, a target that still refuses LOAD DATA
 * LOCAL (a driver told {@code allowLocalInfile=false}) switches the whole copy to INSERTs, with one warning.
 * Shared by the copy's workers.
 *
 * <p>Why {@code auto} loads only some tables: under {@code innodb_autoinc_lock_mode} 0 or 1 (MariaDB's
 * default, and MySQL's before 8.0), a LOAD DATA into an InnoDB table with an AUTO_INCREMENT column holds the
 * table's AUTO-INC lock to the end of the statement, even with every id given. A chunk's statement runs as long
 * as its rows take to read from the source, so the table's other ranges would load one at a time (a million-row
 * copy took 8.7 s, against 7.0 s with the same table without AUTO_INCREMENT), and the application's own INSERTs
 * into that table on the target would wait for each chunk. Multi-row INSERTs with their ids take no such lock in
 * mode 1 (in mode 0 they hold it for one statement of at most 1 MB).
 */
final class ChunkWrites {
    private static final Logger log = LoggerFactory.getLogger(ChunkWrites.class);
    /** MySQL and MariaDB: "The used command is not allowed with this ... version" (local_infile off). */
    private static final int NOT_ALLOWED_COMMAND = 1148;
    /** MySQL 8.0: "Loading local data is disabled; this must be enabled on both the client and server sides". */
    private static final int LOCAL_FILES_DISABLED = 3948;
    /** MariaDB 10.5 and later, and Connector/J told {@code allowLocalInfile=false}: "... local infile ... disabled". */
    private static final int LOCAL_INFILE_DISABLED = 4166;

    private static final int INTERLEAVED = 2;

    private final CopyWrite asked;
    private final String target;
    private final AtomicBoolean loadData;
    /** Whether a LOAD DATA into a table with an AUTO_INCREMENT column takes no table-level lock. */
    private final boolean interleavedAutoIncrement;

    private ChunkWrites(CopyWrite asked, String target, boolean loadData, boolean interleavedAutoIncrement) {
        this.asked = asked;
        this.target = target;
        this.loadData = new AtomicBoolean(loadData);
        this.interleavedAutoIncrement = interleavedAutoIncrement;
    }

    /** Decides for a copy into {@code server} (described as {@code targetName} in messages). */
    static ChunkWrites decide(CopyWrite asked, ServerInfo server, String targetName) {
        if (asked == CopyWrite.INSERT) {
            return new ChunkWrites(asked, targetName, false, false);
        }
        if (!server.localInfile() && asked == CopyWrite.LOAD_DATA) {
            throw refusal(targetName, "its local_infile is OFF");
        }
        if (!server.localInfile()) {
            log.info("{} has local_infile OFF: copying with INSERT statements (LOAD DATA LOCAL takes the target"
                    + " about half the CPU; set local_infile=1 there to use it)", targetName);
        }
        return new ChunkWrites(asked, targetName, server.localInfile(), server.autoIncrementLockMode() == INTERLEAVED);
    }

    /**
     * Whether the chunks of {@code table} are loaded with LOAD DATA LOCAL now: always with {@code load-data} (as
     * long as the target takes it); with {@code auto}, for a transactional target table (a failed chunk's rows
     * are rolled back, and a chunk may be loaded again with INSERTs) unless that would lock the whole table (see
     * the class note).
     */
    boolean loadData(CopyTable table) {
        return loadData.get() && insertedBecause(table).isEmpty();
    }

    /** Why {@code auto} inserts rather than loads {@code table} (given LOAD DATA LOCAL is allowed), if it does. */
    private Optional<String> insertedBecause(CopyTable table) {
        if (asked == CopyWrite.LOAD_DATA) {
            return Optional.empty();
        }
        if (!table.target().transactional()) {
            return Optional.of(table.target().engine());
        }
        if (!interleavedAutoIncrement && table.target().columns().stream().anyMatch(Column::autoIncrement)) {
            return Optional.of("AUTO_INCREMENT under innodb_autoinc_lock_mode 0 or 1");
        }
        return Optional.empty();
    }

    /**
     * For the copy's first log lines: how each table is written, such as {@code LOAD DATA LOCAL: orders, items;
     * INSERT: users (AUTO_INCREMENT under innodb_autoinc_lock_mode 0 or 1)}.
     */
    String describe(List<CopyTable> tables) {
        List<String> loaded = new ArrayList<>();
        List<String> inserted = new ArrayList<>();
        for (CopyTable t : tables) {
            Optional<String> because = loadData.get() ? insertedBecause(t) : Optional.of("");
            because.ifPresentOrElse(b -> inserted.add(t.name() + (b.isEmpty() ? "" : " (" + b + ")")),
                    () -> loaded.add(t.name()));
        }
        List<String> parts = new ArrayList<>();
        if (!loaded.isEmpty()) {
            parts.add("LOAD DATA LOCAL: " + String.join(", ", loaded));
        }
        if (!inserted.isEmpty()) {
            parts.add("INSERT: " + String.join(", ", inserted));
        }
        return String.join("; ", parts);
    }

    /**
     * Called with a chunk's LOAD DATA failure (its transactions rolled back): true if the target refused LOAD DATA
     * LOCAL itself and the copy goes on with INSERTs (the chunk is to be copied again); false for any other
     * failure. With {@code write: load-data}, a refusal is the user's to fix.
     */
    boolean refused(SQLException e) {
        if (!isRefusal(e)) {
            return false;
        }
        if (asked == CopyWrite.LOAD_DATA) {
            throw refusal(target, e.getMessage());
        }
        if (loadData.compareAndSet(true, false)) {
            log.warn("{} refused LOAD DATA LOCAL ({}): copying with INSERT statements from here on", target,
                    e.getMessage());
        }
        return true;
    }

    private static boolean isRefusal(SQLException e) {
        int code = e.getErrorCode();
        return code == NOT_ALLOWED_COMMAND || code == LOCAL_FILES_DISABLED || code == LOCAL_INFILE_DISABLED;
    }

    private static UserException refusal(String target, String why) {
        return new UserException("data.copy.write is load-data, but " + target + " refuses LOAD DATA LOCAL INFILE ("
                + why + ")", "set local_infile=1 on the target (its parameter group on RDS/Aurora) and keep"
                + " allowLocalInfile on in the site's URL, or set data.copy.write to auto or insert");
    }
}
