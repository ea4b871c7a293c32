package dev.hikkoshi.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.data.DataCommandIT;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hikkoshi check lag} against real stream checkpoints: OK right after a stream caught up; CRITICAL once
 * the stream has stopped applying for longer than the threshold while the source keeps changing; CRITICAL when
 * a database cannot be reached; UNKNOWN for a broken config.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class CheckLagIT {
    @TempDir
    Path dir;

    private Path config(SchemaPair pair) throws Exception {
        DataCommandIT shop = new DataCommandIT();
        shop.dir = dir;
        Path config = shop.config(pair);
        Files.writeString(config, Files.readString(config).replace("capture: differential", "capture: binlog"));
        return config;
    }

    @Test
    void streamThatStoppedApplying_isCriticalOnceItsLagPassesTheThreshold(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(DataCommandIT.SHOP);
        String config = config(pair).toString();
        DataCommandIT.Run sync = DataCommandIT.run("data", "sync", "-c", config, "acme", "--until-caught-up");
        assertThat(sync.exitCode()).as(sync.err()).isZero();

        DataCommandIT.Run fresh = DataCommandIT.run("check", "lag", "-c", config, "--warning-lag", "30", "--critical-lag", "60");
        assertThat(fresh.out()).startsWith("HIKKOSHI LAG OK - 1 stream, largest lag ")
                .contains("(acme:legacy->cloud) | lag=").contains(";30;60;0; streams=1;;;0; stopped=0;;0;0;");
        assertThat(fresh.exitCode()).isZero();

        // The stream process is gone; the source keeps changing.
        long deadline = System.currentTimeMillis() + 30_000;
        DataCommandIT.Run late;
        do {
            pair.source().execute("UPDATE orders SET total = total + 1 WHERE tenant_id = 1");
            Thread.sleep(300);
            late = DataCommandIT.run("check", "lag", "-c", config, "--warning-lag", "1", "--critical-lag", "2");
        } while (late.exitCode() != 2 && System.currentTimeMillis() < deadline);
        assertThat(late.exitCode()).as(late.out()).isEqualTo(2);
        assertThat(late.out()).startsWith("HIKKOSHI LAG CRITICAL - stream acme:legacy->cloud lags ").contains("(above 2s)");

        DataCommandIT.Run other = DataCommandIT.run("check", "lag", "-c", config, "globex");
        assertThat(other.out()).isEqualTo("HIKKOSHI LAG OK - no change streams | streams=0;;;0;\n");
    }

    @Test
    void unreachableDatabase_isCritical_andBrokenConfig_isUnknown(SchemaPair pair) throws Exception {
        Path config = config(pair);
        Files.writeString(config, Files.readString(config).replace(":" + pair.target().server().port() + "/", ":1/"));

        DataCommandIT.Run down = DataCommandIT.run("check", "lag", "-c", config.toString());
        assertThat(down.out()).startsWith("HIKKOSHI LAG CRITICAL - cannot connect to the database of site cloud");
        assertThat(down.exitCode()).isEqualTo(2);

        Files.writeString(config, "sites: [oops]\n");
        DataCommandIT.Run broken = DataCommandIT.run("check", "lag", "-c", config.toString());
        assertThat(broken.out()).startsWith("HIKKOSHI LAG UNKNOWN - ");
        assertThat(broken.exitCode()).isEqualTo(3);

        DataCommandIT.Run usage = DataCommandIT.run("check", "lag", "-c", config.toString(), "--warning-lag", "9", "--critical-lag", "3");
        assertThat(usage.exitCode()).isEqualTo(3);
    }
}
