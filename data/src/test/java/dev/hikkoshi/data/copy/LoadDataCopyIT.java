package dev.hikkoshi.data.copy;

import static dev.hikkoshi.data.copy.CopyFixtures.endpoint;
import static dev.hikkoshi.data.copy.CopyFixtures.rows;
import static dev.hikkoshi.data.copy.CopyFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.config.CopyWrite;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The copy's LOAD DATA LOCAL path (data.copy.write): which tables {@code auto} loads on a target in MariaDB's
 * default AUTO-INC lock mode, rows already on the target kept, a chunk whose warnings the server does not all
 * list copied again with INSERTs (which then refuse the truncated value), and a target that refuses LOAD DATA
 * LOCAL. The statements used are told apart by the server's own counters ({@code Com_load}, {@code Com_insert}).
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class LoadDataCopyIT {
    private static final String PLAIN = "CREATE TABLE plain (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)";
    private static final String COUNTED = "CREATE TABLE counted (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " v VARCHAR(20) NOT NULL)";

    private static void fill(SandboxSchema schema, String table, int rows) {
        schema.execute("INSERT INTO " + table + " SELECT seq, CONCAT('row ', seq) FROM seq_1_to_" + rows);
    }

    private static CopyResult copy(SchemaPair pair, CopyEndpoint target, String table, CopyWrite write) throws Exception {
        return new CopyJob(endpoint(pair.source()), target, List.of(table(pair.source(), pair.target(), table,
                TenantRows.ALL)), Optional.empty(), "*", CopySettings.defaults().withParallelism(1)
                .withChunkRows(200, 200, 200).withWrite(write), CharsetOverrides.NONE, CopyHooks.NONE).run();
    }

    private static CopyResult copy(SchemaPair pair, String table, CopyWrite write) throws Exception {
        return copy(pair, endpoint(pair.target()), table, write);
    }

    @Test
    void auto_loadsATableWithoutAutoIncrement_andInsertsIntoOneWithIt_underConsecutiveAutoIncLocks(SchemaPair pair)
            throws Exception {
        assertThat(CopyFixtures.count(pair.target(), "SELECT @@innodb_autoinc_lock_mode")).isEqualTo(1);
        pair.source().execute(PLAIN, COUNTED);
        pair.target().execute(PLAIN, COUNTED);
        fill(pair.source(), "plain", 500);
        fill(pair.source(), "counted", 500);

        long loads = status(pair.target(), "Com_load");
        copy(pair, "plain", CopyWrite.AUTO);
        assertThat(status(pair.target(), "Com_load") - loads).isEqualTo(3); // chunks of 200, 200 and 100 rows
        loads = status(pair.target(), "Com_load");
        copy(pair, "counted", CopyWrite.AUTO);
        assertThat(status(pair.target(), "Com_load") - loads).isZero();

        for (String t : List.of("plain", "counted")) {
            assertThat(rows(pair.target(), t, "id", "")).hasSize(500).isEqualTo(rows(pair.source(), t, "id", ""));
        }
    }

    @Test
    void rowsAlreadyOnTheTarget_areKeptAsTheyAre(SchemaPair pair) throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN, "INSERT INTO plain SELECT seq * 10, 'newer' FROM seq_1_to_20");
        fill(pair.source(), "plain", 200);

        long loads = status(pair.target(), "Com_load");
        long inserts = status(pair.target(), "Com_insert");
        copy(pair, "plain", CopyWrite.LOAD_DATA);

        // 20 duplicates: warnings the server lists in full, so the one LOAD DATA stands.
        assertThat(status(pair.target(), "Com_load") - loads).isEqualTo(1);
        assertThat(status(pair.target(), "Com_insert") - inserts).isLessThanOrEqualTo(1); // the checkpoint's plan
        assertThat(rows(pair.target(), "plain", "id", "id % 10 = 0")).hasSize(20)
                .allMatch(r -> r.endsWith("|6E65776572")); // 'newer'
        assertThat(rows(pair.target(), "plain", "id", "id % 10 <> 0"))
                .isEqualTo(rows(pair.source(), "plain", "id", "id % 10 <> 0"));
    }

    /**
     * 100 duplicates and a value too long for the target: the server lists 64 warnings, none of them the
     * truncation. Trusting the list would keep a truncated value; the chunk is copied again with INSERTs, whose
     * own check fails it.
     */
    @Test
    void aChunkWithMoreWarningsThanTheServerLists_isCopiedAgainWithInserts_whichRefuseATruncatedValue(SchemaPair pair)
            throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute("CREATE TABLE plain (id INT NOT NULL PRIMARY KEY, v VARCHAR(8) NOT NULL)",
                "INSERT INTO plain SELECT seq, 'newer' FROM seq_1_to_100");
        pair.source().execute("INSERT INTO plain SELECT seq, 'short' FROM seq_1_to_199",
                "INSERT INTO plain VALUES (200, 'much too long')");

        long loads = status(pair.target(), "Com_load");
        assertThatThrownBy(() -> copy(pair, "plain", CopyWrite.LOAD_DATA))
                .hasMessageContaining("writing rows of table plain changed a value: Data truncated for column 'v'");
        assertThat(status(pair.target(), "Com_load") - loads).isEqualTo(1);
        assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM plain")).isEqualTo(100);
    }

    @Test
    void aTargetRefusingLocalInfile_isCopiedWithInserts_unlessLoadDataWasAskedFor(SchemaPair pair) throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN);
        fill(pair.source(), "plain", 300);
        MariaDbDataSource refusing = new MariaDbDataSource(pair.target().jdbcUrl()
                + (pair.target().jdbcUrl().contains("?") ? "&" : "?") + "allowLocalInfile=false");
        refusing.setUser(pair.target().server().user());
        CopyEndpoint target = new CopyEndpoint(refusing, pair.target().name(),
                new SchemaInspector(refusing, "target").serverInfo(), "sandbox target");

        assertThatThrownBy(() -> copy(pair, target, "plain", CopyWrite.LOAD_DATA))
                .isInstanceOf(UserException.class)
                .hasMessage("data.copy.write is load-data, but sandbox target refuses LOAD DATA LOCAL INFILE (Local infile"
                        + " is disabled by connector. Enable `allowLocalInfile` to allow local infile commands)")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("set local_infile=1 on the target (its parameter group on RDS/Aurora) and keep"
                        + " allowLocalInfile on in the site's URL, or set data.copy.write to auto or insert");
        assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM plain")).isZero();

        CopyResult result = copy(pair, target, "plain", CopyWrite.AUTO);
        assertThat(result.totalRows()).isEqualTo(300);
        assertThat(rows(pair.target(), "plain", "id", "")).isEqualTo(rows(pair.source(), "plain", "id", ""));
    }

    @Test
    void aServerWithLocalInfileOff_isCopiedWithInserts_unlessLoadDataWasAskedFor(SchemaPair pair) throws Exception {
        pair.source().execute(PLAIN);
        pair.target().execute(PLAIN);
        fill(pair.source(), "plain", 300);
        pair.target().execute("SET GLOBAL local_infile = 0");
        try {
            assertThatThrownBy(() -> copy(pair, "plain", CopyWrite.LOAD_DATA))
                    .isInstanceOf(UserException.class)
                    .hasMessage("data.copy.write is load-data, but sandbox " + pair.target().server().name()
                            + " refuses LOAD DATA LOCAL INFILE (its local_infile is OFF)");
            long loads = status(pair.target(), "Com_load");
            assertThat(copy(pair, "plain", CopyWrite.AUTO).totalRows()).isEqualTo(300);
            assertThat(status(pair.target(), "Com_load") - loads).isZero();
        } finally {
            pair.target().execute("SET GLOBAL local_infile = 1");
        }
        assertThat(rows(pair.target(), "plain", "id", "")).isEqualTo(rows(pair.source(), "plain", "id", ""));
    }

    private static long status(SandboxSchema schema, String name) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
