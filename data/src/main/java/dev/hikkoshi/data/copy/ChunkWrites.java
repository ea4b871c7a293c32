package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.config.CopyWrite;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.ServerInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one copy's chunks go to the target ({@code data.copy.write}): by {@link LoadDataBatch}, {@link
 * LoadDataStatements} or {@link InsertBatch} ({@link Form}). Decided once per copy from the target's {@code
 * local_infile} and {@code innodb_autoinc_lock_mode} (read with its other facts, {@link ServerInfo}), and per
 * table; with {@code auto}, a target that still refuses LOAD DATA LOCAL (a driver told {@code
 * allowLocalInfile=false}) switches the whole copy to INSERTs, with one warning. Shared by the copy's workers.
 *
 * <p>Tables with an AUTO_INCREMENT column: under {@code innodb_autoinc_lock_mode} 0 or 1 (MariaDB's default, and
 * MySQL's before 8.0), a LOAD DATA into such an InnoDB table holds the table's AUTO-INC lock to the end of the
 * statement, even with every id given, and every INSERT into the table waits for it meanwhile. One LOAD DATA per
 * chunk runs as long as the chunk takes to read from the source, so such a table is loaded in statements of
 * about 2 MB, each sent once its rows are all formatted ({@link Form#LOAD_STATEMENTS}); even so, an INSERT of the
 * application's waited up to about half a second behind the queued statements in a million-row copy on the
 * 2-core benchmark machine (docs/data.md), where multi-row INSERTs with their ids take no such lock in mode 1.
 * So under mode 1 {@code auto} loads such a table only in a copy of every row of it (a whole-schema copy, or the
 * shared tables from their writer), where no application inserts into the target's table: a row it inserted would
 * take an id that the copy's row of the same id then finds taken. A tenant's copy into a target that serves other
 * tenants inserts it. Under mode 0 an INSERT holds the lock for its statement too, so the short statements take
 * nothing more from the application and every copy loads.
 */
final class ChunkWrites {
    private static final Logger log = LoggerFactory.getLogger(ChunkWrites.class);
    /** MySQL and MariaDB: "The used command is not allowed with this ... version" (local_infile off). */
    private static final int NOT_ALLOWED_COMMAND = 1148;
    /** MySQL 8.0: "Loading local data is disabled; this must be enabled on both the client and server sides". */
    private static final int LOCAL_FILES_DISABLED = 3948;
    /** MariaDB 10.5 and later, and Connector/J told {@code allowLocalInfile=false}: "... local infile ... disabled". */
    private static final int LOCAL_INFILE_DISABLED = 4166;

    /** innodb_autoinc_lock_mode: "consecutive" (simple INSERTs take no table lock) and "interleaved" (none does). */
    private static final int CONSECUTIVE = 1;
    private static final int INTERLEAVED = 2;

    /** How a table's chunks are written (in the order {@link #describe} lists them). */
    enum Form {
        /** One LOAD DATA LOCAL per chunk, fed while the chunk is read ({@link LoadDataBatch}). */
        LOAD,
        /** LOAD DATA LOCAL statements of about 2 MB, each sent whole ({@link LoadDataStatements}). */
        LOAD_STATEMENTS,
        /** Multi-row INSERTs ({@link InsertBatch}). */
        INSERT
    }

    private final CopyWrite asked;
    private final String target;
    private final AtomicBoolean loadData;
    /** The target's innodb_autoinc_lock_mode (0 where unknown). */
    private final int autoIncLockMode;
    /** Whether the copy takes every row of its tables (no tenant): no application inserts into them on the target. */
    private final boolean everyRow;

    private ChunkWrites(CopyWrite asked, String target, boolean loadData, int autoIncLockMode, boolean everyRow) {
        this.asked = asked;
        this.target = target;
        this.loadData = new AtomicBoolean(loadData);
        this.autoIncLockMode = autoIncLockMode;
        this.everyRow = everyRow;
    }

    /**
     * Decides for a copy into {@code server} (described as {@code targetName} in messages); {@code everyRow}: the
     * copy takes every row of its tables rather than a tenant's.
     */
    static ChunkWrites decide(CopyWrite asked, ServerInfo server, String targetName, boolean everyRow) {
        if (asked == CopyWrite.INSERT) {
            return new ChunkWrites(asked, targetName, false, server.autoIncrementLockMode(), everyRow);
        }
        if (!server.localInfile() && asked == CopyWrite.LOAD_DATA) {
            throw refusal(targetName, "its local_infile is OFF");
        }
        if (!server.localInfile()) {
            log.info("{} has local_infile OFF: copying with INSERT statements (LOAD DATA LOCAL takes the target"
                    + " about half the CPU; set local_infile=1 there to use it)", targetName);
        }
        return new ChunkWrites(asked, targetName, server.localInfile(), server.autoIncrementLockMode(), everyRow);
    }

    /**
     * How the chunks of {@code table} are written now: loaded with {@code load-data} (as long as the target takes
     * it); with {@code auto}, loaded into a transactional target table (a failed chunk's rows are rolled back, and a
     * chunk may be loaded again with INSERTs) unless that would lock the table against the application's INSERTs
     * (see the class note). A table whose LOAD DATA holds its AUTO-INC lock is loaded in short statements.
     */
    Form form(CopyTable table) {
        return loadData.get() ? decision(table).form() : Form.INSERT;
    }

    /** The form for {@code table} when LOAD DATA LOCAL is allowed, and why when it is not the plain one. */
    private record Decision(Form form, String why) {
    }

    private Decision decision(CopyTable table) {
        boolean autoIncLocked = autoIncLockMode != INTERLEAVED
                && table.target().columns().stream().anyMatch(Column::autoIncrement);
        String lockMode = "AUTO_INCREMENT under innodb_autoinc_lock_mode " + autoIncLockMode;
        if (asked == CopyWrite.AUTO && !table.target().transactional()) {
            return new Decision(Form.INSERT, table.target().engine());
        }
        // In mode 0 the INSERTs would hold the same lock for each statement: only mode 1 spares the application.
        if (autoIncLocked && asked == CopyWrite.AUTO && !everyRow && autoIncLockMode == CONSECUTIVE) {
            return new Decision(Form.INSERT, lockMode + ", in a tenant's copy");
        }
        return autoIncLocked ? new Decision(Form.LOAD_STATEMENTS, lockMode) : new Decision(Form.LOAD, "");
    }

    /**
     * For the copy's first log lines: how each table is written, such as {@code LOAD DATA LOCAL: items; LOAD DATA
     * LOCAL in statements of about 2 MB: orders (AUTO_INCREMENT under innodb_autoinc_lock_mode 1); INSERT: users
     * (MyISAM)}.
     */
    String describe(List<CopyTable> tables) {
        Map<Form, List<String>> byForm = new EnumMap<>(Form.class);
        for (CopyTable t : tables) {
            Decision d = loadData.get() ? decision(t) : new Decision(Form.INSERT, "");
            byForm.computeIfAbsent(d.form(), f -> new ArrayList<>())
                    .add(t.name() + (d.why().isEmpty() ? "" : " (" + d.why() + ")"));
        }
        List<String> parts = new ArrayList<>();
        byForm.forEach((form, names) -> parts.add(switch (form) {
            case LOAD -> "LOAD DATA LOCAL";
            case LOAD_STATEMENTS -> "LOAD DATA LOCAL in statements of about 2 MB";
            case INSERT -> "INSERT";
        } + ": " + String.join(", ", names)));
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
