package dev.hikkoshi.app.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.HikkoshiCommand;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hikkoshi data sync/status/uninstall/resume} against the sandbox servers: a capture mode this build
 * lacks is refused by name (never replaced by another mode), and status reads the target's stream checkpoints.
 */
@ExtendWith(FreshSchemaExtension.class)
class DataSyncCommandIT {
    @TempDir
    Path dir;

    private DataCommandIT.Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = HikkoshiCommand.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new DataCommandIT.Run(cl.execute(args), out.toString(), err.toString());
    }

    private String config(SchemaPair pair) throws Exception {
        DataCommandIT shop = new DataCommandIT();
        shop.dir = dir;
        return shop.config(pair).toString();
    }

    @Test
    void sync_withACaptureModeThisBuildLacks_isRefusedByName(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(DataCommandIT.SHOP);

        DataCommandIT.Run run = run("data", "sync", "-c", config(pair), "acme", "--until-caught-up");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: capture mode binlog of site legacy is not available in this build of"
                + " hikkoshi\nhint: use a build that includes the binlog capture, or set"
                + " sites.legacy.database.capture to a mode this build has\n");
    }

    @Test
    void status_withoutStreams_saysSo(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(DataCommandIT.SHOP);

        DataCommandIT.Run run = run("data", "status", "-c", config(pair));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("no change streams of schema " + pair.name() + " on site cloud (127.0.0.1:"
                + pair.target().server().port() + "/" + pair.name() + " as root)\n");
    }
}
