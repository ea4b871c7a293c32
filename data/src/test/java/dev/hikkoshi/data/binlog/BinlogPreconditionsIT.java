package dev.hikkoshi.data.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.SandboxConfig;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.sandbox.db.EmbeddedMariaDb;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.LegacyLikeSource;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.db.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each precondition of binlog capture fails with its own exact message, against real servers. */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class BinlogPreconditionsIT {
    static SiteDatabase source(SchemaPair pair, long serverId) {
        DataConfig config = SandboxConfig.bind(pair, ", server-id: " + serverId, "data: { tenant-column: tenant_id }\n");
        return SiteDatabase.open(SandboxConfig.sites(config).source(), 2);
    }

    static String site(SchemaPair pair) {
        return "site legacy (127.0.0.1:" + pair.source().server().port() + "/" + pair.name() + " as root)";
    }

    static UserException openFails(SiteDatabase db) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> BinlogTailer.open(db, db.inspector().inspect(db.schema())).close());
        assertThat(thrown).isInstanceOf(UserException.class);
        return (UserException) thrown;
    }

    @Test
    void binlogFormatNotRow_isRefusedWithTheSettingAndTheFix(SchemaPair pair) {
        try (SiteDatabase db = source(pair, 77002)) {
            pair.source().execute("SET GLOBAL binlog_format = 'STATEMENT'");
            UserException e = openFails(db);
            assertThat(e.getMessage()).isEqualTo("binlog_format is STATEMENT on " + site(pair) + ": binlog capture needs ROW");
            assertThat(e.hint()).isEqualTo("SET GLOBAL binlog_format = 'ROW' and put binlog_format=ROW in the server's config"
                    + " (sessions already open keep their format), or set sites.legacy.database.capture to triggers or differential");
        } finally {
            pair.source().execute("SET GLOBAL binlog_format = 'ROW'");
        }
    }

    @Test
    void rowImageNotFull_isRefusedWithTheSettingAndTheFix(SchemaPair pair) {
        try (SiteDatabase db = source(pair, 77002)) {
            pair.source().execute("SET GLOBAL binlog_row_image = 'MINIMAL'");
            UserException e = openFails(db);
            assertThat(e.getMessage()).isEqualTo("binlog_row_image is MINIMAL on " + site(pair) + ": binlog capture needs FULL");
            assertThat(e.hint()).isEqualTo("SET GLOBAL binlog_row_image = 'FULL' and put binlog_row_image=FULL in the"
                    + " server's config, or set sites.legacy.database.capture to triggers or differential");
        } finally {
            pair.source().execute("SET GLOBAL binlog_row_image = 'FULL'");
        }
    }

    @Test
    @LegacyLikeSource
    void binlogOff_isRefusedWithTheSettingAndTheFix(SchemaPair pair) {
        try (SiteDatabase db = source(pair, 77002)) {
            UserException e = openFails(db);
            assertThat(e.getMessage()).isEqualTo("binary logging is off on " + site(pair) + ": binlog capture needs log_bin=ON");
            assertThat(e.hint()).isEqualTo("start the server with log-bin (log_bin cannot be changed while it runs), or set"
                    + " sites.legacy.database.capture to triggers or differential");
        }
    }

    @Test
    void serverIdOfTheSourceItself_isRefused(SchemaPair pair) {
        try (SiteDatabase db = source(pair, 101)) {
            UserException e = openFails(db);
            assertThat(e.getMessage()).isEqualTo("server-id 101 is the server_id of " + site(pair)
                    + " itself: the binlog tailer needs an id no server or replica uses");
            assertThat(e.hint()).isEqualTo("set sites.legacy.database.server-id to a number that no server or replica"
                    + " of this replication topology uses");
        }
    }

    @Test
    void secondTailerOnTheSameServer_inThisProcess_isRefused(SchemaPair pair) {
        try (SiteDatabase db = source(pair, 77003); BinlogTailer first = BinlogTailer.open(db, db.inspector().inspect(db.schema()))) {
            UserException e = openFails(db);
            assertThat(e.getMessage()).isEqualTo("a hikkoshi binlog tailer for " + site(pair) + " is already running in"
                    + " this process (server-id 77003): a second reader with the same server-id would disconnect it");
            assertThat(e.hint()).isEqualTo("subscribe to the running tailer (one replication connection per source server),"
                    + " or set sites.legacy.database.server-id for a tailer in another process");
            assertThat(first.serverId()).isEqualTo(77003);
        }
    }

    /** The legacy-like server (server_id 103) made a real replica of the source, filtered to replicate nothing. */
    @Test
    void serverIdOfARegisteredReplica_isRefused(SchemaPair pair) throws Exception {
        EmbeddedMariaDb replica = SharedServers.legacySource();
        replica.execute("", "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + pair.source().server().port()
                        + ", MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_USE_GTID = no, MASTER_SSL = 0",
                "SET GLOBAL replicate_do_db = 'hk_replicate_nothing'", "START SLAVE");
        try (SiteDatabase db = source(pair, 103)) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (!registered(pair, 103) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            UserException e = openFails(db);
            assertThat(e.getMessage()).startsWith("server-id 103 is used by a replica registered on " + site(pair) + " (")
                    .endsWith("): reading the binlog with it would disconnect that replica");
            assertThat(e.hint()).isEqualTo("set sites.legacy.database.server-id to a number no replica uses"
                    + " (SHOW SLAVE HOSTS on the source lists them)");
        } finally {
            replica.execute("", "STOP SLAVE", "RESET SLAVE ALL");
            // The source's dump thread for the replica notices the closed connection on its next write: make one,
            // so that later tests counting Binlog Dump threads see only their own.
            long deadline = System.currentTimeMillis() + 20_000;
            for (int i = 0; BinlogTailerIT.binlogDumpThreads(pair) > 0 && System.currentTimeMillis() < deadline; i++) {
                pair.source().execute("CREATE TABLE IF NOT EXISTS nudge (id INT PRIMARY KEY)", "INSERT INTO nudge VALUES (" + i + ")");
                Thread.sleep(100);
            }
        }
    }

    private static boolean registered(SchemaPair pair, long serverId) throws Exception {
        try (Connection c = pair.source().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SLAVE HOSTS")) {
            while (rs.next()) {
                if (rs.getLong("Server_id") == serverId) {
                    return true;
                }
            }
            return false;
        }
    }

    @Test
    void positionsNoLongerRetained_areRefusedWithExactMessages(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE a (id INT PRIMARY KEY)");
        try (SiteDatabase db = source(pair, 77004); BinlogTailer tailer = BinlogTailer.open(db, db.inspector().inspect(db.schema()))) {
            CapturePosition.BinlogFile old = tailer.currentFilePosition();
            pair.source().execute("FLUSH BINARY LOGS");
            String current = tailer.currentFilePosition().file();
            // The source keeps a binlog file that a dump thread still reads (a replica stopped by an earlier test
            // may take a moment to go): purge once none does, and check that the purge happened.
            long deadline = System.currentTimeMillis() + 20_000;
            while (BinlogTailerIT.binlogDumpThreads(pair) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            // MariaDB also keeps the old file until InnoDB has checkpointed the commits it holds (the binlog
            // checkpoint written into the new file after the flush), which a loaded machine may take a moment to do:
            // the purge is repeated until it has happened.
            long purgedBy = System.currentTimeMillis() + 20_000;
            pair.source().execute("PURGE BINARY LOGS TO '" + current + "'");
            while (new BinlogPreconditions(db).binaryLogs().size() > 1 && System.currentTimeMillis() < purgedBy) {
                Thread.sleep(100);
                pair.source().execute("PURGE BINARY LOGS TO '" + current + "'");
            }
            assertThat(new BinlogPreconditions(db).binaryLogs()).containsExactly(current);
            GtidState start = new BinlogPreconditions(db).gtidAt(current, 4);

            assertThatThrownBy(() -> tailer.subscribe(Set.of("a"), old, new RecordingSink()))
                    .isInstanceOf(UserException.class)
                    .hasMessage("binlog file " + old.file() + " of position " + old.text() + " was purged from " + site(pair)
                            + " (it has " + current + " to " + current + ")")
                    .satisfies(e -> assertThat(((UserException) e).hint()).isEqualTo("the position fell out of the source's"
                            + " binlog retention (expire_logs_days or binlog_expire_logs_seconds): raise the retention,"
                            + " then copy the tenant again"));
            assertThatThrownBy(() -> tailer.subscribe(Set.of("a"), new CapturePosition.Gtid("0-101-1"), new RecordingSink()))
                    .isInstanceOf(UserException.class)
                    .hasMessage("position gtid:0-101-1 is no longer covered by the binlogs of " + site(pair)
                            + ": the oldest, " + current + ", starts after " + start.text());
            assertThat(start.text()).startsWith("0-101-");
        }
    }
}
