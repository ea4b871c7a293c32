package dev.hikkoshi.app.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hikkoshi data sync/status/uninstall} against the sandbox servers, over the binlog tailer (and the trigger
 * capture for uninstall): the tenant is copied and streamed until caught up, status reads the target's stream
 * checkpoints, uninstall forgets them.
 */
@ExtendWith(FreshSchemaExtension.class)
class DataSyncCommandIT {
    @TempDir
    Path dir;

    private String config(SchemaPair pair) throws Exception {
        DataCommandIT shop = new DataCommandIT();
        shop.dir = dir;
        return shop.config(pair).toString();
    }

    /** Sets the source site's capture mode in the config file. */
    private static void capture(String config, String mode) throws java.io.IOException {
        Files.writeString(Path.of(config), Files.readString(Path.of(config)).replace("capture: differential", "capture: " + mode));
    }

    /** Adds a target site at {@code url} to the config file, after the site cloud. */
    private static void addSite(String config, String site, String url) throws java.io.IOException {
        String text = Files.readString(Path.of(config));
        String cloud = text.lines().filter(l -> l.startsWith("  cloud: ")).findFirst().orElseThrow();
        Files.writeString(Path.of(config), text.replace(cloud, cloud + "\n  " + site + ": { database: { url: \"" + url
                + "\", user: root } }"));
    }

    private static final String[] TARGET_TABLES = {
            "CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(40) NOT NULL, UNIQUE KEY (slug))",
            "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, total DECIMAL(10,2), KEY (tenant_id))",
            "CREATE TABLE order_items (id BIGINT NOT NULL PRIMARY KEY, order_id BIGINT NOT NULL)",
            "CREATE TABLE countries (code CHAR(2) NOT NULL PRIMARY KEY)"};

    @Test
    void syncUntilCaughtUp_copiesAndStreamsOverTheBinlog_thenStatusShowsIt_andUninstallRemovesIt(SchemaPair pair)
            throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(TARGET_TABLES);
        String config = config(pair);
        capture(config, "binlog");
        String stream = pair.name() + "/acme:legacy->cloud";

        DataCommandIT.Run sync = DataCommandIT.run("data", "sync", "-c", config, "acme", "--until-caught-up");

        assertThat(sync.err()).isEmpty();
        assertThat(sync.exitCode()).isZero();
        assertThat(sync.out()).startsWith("stream acme:legacy->cloud starts at gtid:0-").contains("\nacme:legacy->cloud binlog ");
        assertThat(DataCopyCommandIT.rows(pair.target(), "SELECT id, tenant_id FROM orders ORDER BY id"))
                .containsExactly("10 1", "11 1");
        assertThat(DataCopyCommandIT.rows(pair.target(), "SELECT id, order_id FROM order_items ORDER BY id"))
                .containsExactly("100 10", "101 11", "102 11");

        DataCommandIT.Run status = DataCommandIT.run("data", "status", "-c", config);
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).startsWith(stream + " at gtid:0-");

        DataCommandIT.Run uninstall = DataCommandIT.run("data", "uninstall", "-c", config, "acme");
        assertThat(uninstall.err()).isEmpty();
        assertThat(uninstall.out()).isEqualTo("removed stream " + stream + "\n");
        assertThat(DataCommandIT.run("data", "status", "-c", config).out()).startsWith("no change streams of schema " + pair.name());
    }

    /**
     * Two target sites on one target server share its checkpoint table: uninstalling the tenant's stream to one must
     * leave the other's checkpoint, or that stream would, at its next start, note the source's position anew and
     * never carry what changed before it.
     */
    @Test
    void uninstall_removesOnlyTheStreamToItsTargetSite_notTheTenantsStreamToAnother(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(TARGET_TABLES);
        String other = "hk_cloud2_" + Integer.toHexString(pair.name().hashCode()); // a schema name has 64 characters at most
        pair.target().execute("CREATE DATABASE `" + other + "`");
        try {
            for (String table : TARGET_TABLES) {
                pair.target().execute(table.replace("CREATE TABLE ", "CREATE TABLE `" + other + "`."));
            }
            String config = config(pair);
            capture(config, "binlog");
            addSite(config, "cloud2", new SandboxSchema(pair.target().server(), other).jdbcUrl());
            for (String to : new String[] {"cloud", "cloud2"}) {
                assertThat(DataCommandIT.run("data", "sync", "-c", config, "--from", "legacy", "--to", to, "acme",
                        "--until-caught-up").exitCode()).as("sync to " + to).isZero();
            }

            DataCommandIT.Run uninstall = DataCommandIT.run("data", "uninstall", "-c", config, "--from", "legacy",
                    "--to", "cloud2", "acme");

            assertThat(uninstall.err()).isEmpty();
            assertThat(uninstall.out()).isEqualTo("removed stream " + pair.name() + "/acme:legacy->cloud2\n");
            assertThat(DataCommandIT.run("data", "status", "-c", config, "--from", "legacy", "--to", "cloud").out())
                    .startsWith(pair.name() + "/acme:legacy->cloud at gtid:0-");
            assertThat(DataCommandIT.run("data", "uninstall", "-c", config, "--from", "legacy", "--to", "cloud",
                    "acme").out()).isEqualTo("removed stream " + pair.name() + "/acme:legacy->cloud\n");
        } finally {
            pair.target().execute("DROP DATABASE `" + other + "`");
        }
    }

    @Test
    void secondSync_withVerifyDirty_comparesTheRowsItChanged_andSaysHowLongItTook(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(TARGET_TABLES);
        String config = config(pair);
        capture(config, "binlog");
        assertThat(DataCommandIT.run("data", "sync", "-c", config, "acme", "--until-caught-up").exitCode()).isZero();
        pair.source().execute("UPDATE orders SET total = 9.99 WHERE id IN (10, 20)", "INSERT INTO orders VALUES (12, 1, 4.00)",
                "DELETE FROM order_items WHERE id = 101");

        DataCommandIT.Run sync = DataCommandIT.run("data", "sync", "-c", config, "acme", "--until-caught-up",
                "--verify-dirty", "100");

        assertThat(sync.err()).isEmpty();
        assertThat(sync.exitCode()).isZero();
        // Tenant acme's order 10 and new order 12, and its deleted item 101: three dirty rows; order 20 is globex's.
        assertThat(sync.out()).containsPattern("\nverified 3 dirty rows in \\d+ ms: all equal\n$");
        assertThat(DataCopyCommandIT.rows(pair.target(), "SELECT id, total FROM orders ORDER BY id"))
                .containsExactly("10 9.99", "11 2.00", "12 4.00");
        // 'check lag' reads every stream checkpoint on the shared sandbox servers: leave none behind.
        assertThat(DataCommandIT.run("data", "uninstall", "-c", config, "acme").exitCode()).isZero();
    }

    @Test
    void verifyDirty_withoutUntilCaughtUp_isRefusedWithTheFix(SchemaPair pair) throws Exception {
        DataCommandIT.Run run = DataCommandIT.run("data", "sync", "-c", config(pair), "acme", "--verify-dirty", "1000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: --verify-dirty 1000 needs --until-caught-up and a number of rows of at"
                + " least 1\nhint: add --until-caught-up, e.g. 'hikkoshi data sync -c FILE acme --until-caught-up"
                + " --verify-dirty 1000'\n");
    }

    @Test
    void status_withoutStreams_saysSo(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(DataCommandIT.SHOP);

        DataCommandIT.Run run = DataCommandIT.run("data", "status", "-c", config(pair));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("no change streams of schema " + pair.name() + " on site cloud (127.0.0.1:"
                + pair.target().server().port() + "/" + pair.name() + " as root)\n");
    }

    /**
     * Trigger mode: the triggers and change log on the source serve every stream reading them, in any process and
     * into any target. A stream into a second target server (here a schema on the source's server) records itself
     * on the source only; uninstalling another tenant's stream must not take the capture from under it. It goes
     * with the last reader, whose consumer record is forgotten even before its stream has a checkpoint (a move that
     * noted its position and is copying), or at once with --force, which names the readers it cuts off.
     */
    @Test
    void uninstall_inTriggerMode_keepsTheCaptureWhileAStreamIntoAnotherServerReadsIt_thenRemovesItWithTheLastOrForce(
            SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(TARGET_TABLES);
        String elsewhere = "hk_cloud3_" + Integer.toHexString(pair.name().hashCode());
        SandboxSchema other = new SandboxSchema(pair.source().server(), elsewhere);
        pair.source().execute("CREATE DATABASE `" + elsewhere + "`");
        String config = config(pair);
        String[] uninstallAcme = {"data", "uninstall", "-c", config, "--from", "legacy", "--to", "cloud", "acme"};
        String[] uninstallGlobex = {"data", "uninstall", "-c", config, "--from", "legacy", "--to", "cloud3", "globex"};
        try {
            other.execute(TARGET_TABLES);
            capture(config, "triggers");
            addSite(config, "cloud3", other.jdbcUrl());
            String source = "site legacy (127.0.0.1:" + pair.source().server().port() + "/" + pair.name() + " as root)";
            String acme = pair.name() + "/acme:legacy->cloud";
            String globex = pair.name() + "/globex:legacy->cloud3";
            String[] acmeSync = {"data", "sync", "-c", config, "--from", "legacy", "--to", "cloud", "acme", "--until-caught-up"};
            String[] globexSync = {"data", "sync", "-c", config, "--from", "legacy", "--to", "cloud3", "globex", "--until-caught-up"};
            assertThat(DataCommandIT.run(acmeSync).exitCode()).isZero();
            assertThat(DataCommandIT.run(globexSync).exitCode()).isZero();

            DataCommandIT.Run kept = DataCommandIT.run(uninstallAcme);

            assertThat(kept.err()).isEmpty();
            assertThat(kept.out()).isEqualTo("removed stream " + acme + "\nkept the trigger capture on " + source
                    + ": still read by " + globex + "; it goes with the last of them (a stream with hikkoshi data"
                    + " uninstall --to ITS_SITE TENANT, a move's watch with its finalize or rollback), or now with --force\n");
            assertThat(triggers(pair)).isEqualTo(12); // after insert, update and delete, on four tables

            DataCommandIT.Run last = DataCommandIT.run(uninstallGlobex);

            assertThat(last.err()).isEmpty();
            assertThat(last.out()).isEqualTo("removed stream " + globex + "\nremoved 14 trigger capture objects from " + source + "\n");
            assertThat(triggers(pair)).isZero();

            // Noted but not checkpointed yet: acme's consumer record alone, as while a move copies the tenant.
            assertThat(DataCommandIT.run(acmeSync).exitCode()).isZero();
            pair.target().execute("DELETE FROM hikkoshi.stream_checkpoint WHERE stream = '" + acme + "'");

            DataCommandIT.Run noted = DataCommandIT.run(uninstallAcme);

            assertThat(noted.err()).isEmpty();
            assertThat(noted.out()).isEqualTo("removed stream " + acme + "\nremoved 14 trigger capture objects from " + source + "\n");
            assertThat(triggers(pair)).isZero();

            assertThat(DataCommandIT.run(acmeSync).exitCode()).isZero();
            assertThat(DataCommandIT.run(globexSync).exitCode()).isZero();

            DataCommandIT.Run forced = DataCommandIT.run("data", "uninstall", "-c", config, "--from", "legacy", "--to", "cloud",
                    "acme", "--force");

            assertThat(forced.err()).isEmpty();
            assertThat(forced.out()).isEqualTo("removed stream " + acme + "\nremoved 14 trigger capture objects from " + source
                    + " (--force: " + globex + " get no more changes from it; remove each such stream with hikkoshi data"
                    + " uninstall --to ITS_SITE TENANT before syncing its tenant again, or it resumes at its old change-log"
                    + " position in the new log)\n");
            assertThat(triggers(pair)).isZero();
        } finally {
            // 'check lag' reads every stream checkpoint on the shared sandbox servers: leave none behind.
            DataCommandIT.run(uninstallGlobex);
            DataCommandIT.run(uninstallAcme);
            pair.source().execute("DROP DATABASE `" + elsewhere + "`");
        }
    }

    /** The triggers hikkoshi installed on the source's schema. */
    private static int triggers(SchemaPair pair) throws Exception {
        return Integer.parseInt(DataCopyCommandIT.rows(pair.source(), "SELECT COUNT(*) FROM information_schema.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'hk\\_%'").get(0));
    }
}
