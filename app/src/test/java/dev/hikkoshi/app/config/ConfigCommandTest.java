package dev.hikkoshi.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.HikkoshiCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hikkoshi config check}: the whole file's verdict on the command line (no secrets needed by these files). */
class ConfigCommandTest {
    private static final String CONFIG = """
            environment: staging
            sites:
              legacy: { upstreams: [http://127.0.0.1:3000], database: { url: "jdbc:mariadb://127.0.0.1:3306/shop", user: root } }
              cloud: { upstreams: [http://127.0.0.1:3001], database: { url: "jdbc:mariadb://127.0.0.1:3307/shop", user: root } }
            tenants: { from-table: { table: tenants, id: id, name: slug } }
            data: { tenant-column: tenant_id, tables: { countries: { shared: { writer: legacy } } } }
            controller:
              admin: { tokens: { ops: { env: HIKKOSHI_CONFIG_TEST_NEVER_SET } } }
            plan:
              waves: [ { name: pilot, tenants: [acme] }, { name: rest, tenants: "*" } ]
              rollback-line: { error-rate: 2%, p99: 800ms }
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = HikkoshiCommand.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("hikkoshi.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void check_validFile_printsConfigOkWithWhatIsLeftToPlanTime() throws IOException {
        Path file = write(CONFIG);

        int code = run("config", "check", "-c", file.toString(), "--for", "operator");

        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("config ok: " + file + "\n"
                + "note: tenants named in plan.waves are checked against tenants.from-table when the plan is made"
                + " (hikkoshi plan reads the table)\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void check_problemsInSeveralSections_printsThemAllAndExits2() throws IOException {
        Path file = write(CONFIG.replace("writer: legacy", "writer: legacyy").replace("error-rate: 2%", "error-rate: lots")
                .replace("environment: staging", "environment: staging\nstate_dir: /tmp"));

        int code = run("config", "check", "-c", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("error: config " + file + " has 4 problems:\n"
                + "  state_dir: unknown key (expected: one of environment, sites, tenants, router, data, controller,"
                + " plan, alerts, state-dir)\n"
                + "  data.tables.countries.shared.writer: legacyy (expected: a site defined under sites: legacy, cloud)\n"
                + "  controller.admin.tokens.ops.env: HIKKOSHI_CONFIG_TEST_NEVER_SET (expected: the name of an"
                + " environment variable that is set and not empty)\n"
                + "  plan.rollback-line.error-rate: lots (expected: a percentage above 0% and at most 100%, such as 2%"
                + " or 0.5%)\n"
                + "hint: fix the values named above (docs/config.md describes every key) and try again\n");
    }

    @Test
    void check_unknownProcess_isAUsageError() throws IOException {
        Path file = write(CONFIG);

        int code = run("config", "check", "-c", file.toString(), "--for", "later");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: Invalid value for option '--for': 'later' is not one of file,"
                + " run, controller, operator\nhint: run 'hikkoshi config check --help' for usage\n");
    }

    @Test
    void check_missingFile_saysSo() {
        int code = run("config", "check", "-c", dir.resolve("nope.yaml").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: config file " + dir.resolve("nope.yaml") + " does not exist\n"
                + "hint: pass the path of your config file with -c/--config FILE\n");
    }
}
