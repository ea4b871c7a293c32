package dev.hikkoshi.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.HikkoshiCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code hikkoshi demo} end to end: real backends, the real router in process, real load; short phases. */
@Timeout(120)
class DemoCommandIT {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = HikkoshiCommand.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void demo_movesATenantUnderLoad_andEveryCheckHolds() {
        int exit = run("demo", "--tenants", "acme,globex", "--clients", "4", "--before", "1s", "--frozen", "700ms",
                "--after", "1s");

        String report = out.toString();
        assertThat(report).as(report + err).startsWith("hikkoshi demo: tenant acme moves from legacy to cloud under load\n");
        assertThat(report).contains("freeze acme returned: ", "table v2 pushed: acme on cloud, still frozen");
        assertThat(report).containsPattern("\\n  acme +\\d+ +0 +0  legacy -> cloud ");
        assertThat(report).containsPattern("\\n  globex +\\d+ +0 +0  legacy ");
        // The data section: acme's sample rows (1 tenant row, 500 orders, 1,500 items) copied and proved equal.
        assertThat(report).contains("\ndata of acme: bulk copy + verification; change capture is not part of"
                + " the demo's move yet (the cutover engine, issue 5, joins it), so the demo's load does not write to the"
                + " database\n");
        assertThat(report).containsPattern("\n  tenants +1 +1 +1 +0 +1\n");
        assertThat(report).containsPattern("\n  orders +500 +500 +500 +0 +500\n");
        assertThat(report).containsPattern("\n  order_items +1,500 +1,500 +1,500 +0 +1,500\n");
        assertThat(report).containsPattern("\n  copy          2,001 rows in \\d+\\.\\d\\d s \\([\\d,]+ rows/s\\)\n");
        assertThat(report).containsPattern("\n  verification  2,001 rows in \\d+\\.\\d\\d s: differences: 0\n");
        assertThat(report).contains("  ok    acme's rows were copied to cloud and verified equal before the freeze"
                + " (2,001 copied, 2,001 on legacy, 2,001 on cloud, differences: 0)\n"
                + "  ok    no other tenant's rows were copied (cloud's tables hold 2,001 rows in all, 2,001 of them acme's)\n");
        assertThat(report.indexOf("tenant acme: copied 2,001 rows of 3 tables in ")).isPositive()
                .isLessThan(report.indexOf("freeze acme requested"));
        assertThat(report).doesNotContain("FAIL");
        assertThat(report).endsWith("result: ok: every request was answered and acme moved from legacy to cloud"
                + " without a request at the wrong site\n");
        assertThat(exit).isZero();
    }

    @Test
    void demo_overTheAdminApi_drivesTheRouterAsARemoteController() {
        int exit = run("demo", "--admin-api", "--tenants", "acme,globex", "--clients", "2", "--before", "500ms",
                "--frozen", "500ms", "--after", "500ms");

        String report = out.toString();
        assertThat(report).as(report + err).containsPattern("table v1 pushed to the router \\(http://127\\.0\\.0\\.1:\\d+\\)");
        assertThat(report).doesNotContain("FAIL").contains("\nresult: ok: ");
        assertThat(exit).isZero();
    }

    @Test
    void demo_refusesATenantToMoveThatIsNotUnderLoad() {
        int exit = run("demo", "--tenants", "acme,globex", "--move", "initech");

        assertThat(exit).isEqualTo(HikkoshiCommand.USER_ERROR);
        assertThat(err.toString()).isEqualTo("error: --move initech is not one of the tenants under load ([acme, globex])\n"
                + "hint: name one of them, or add it to --tenants\n");
    }

    @Test
    void demo_refusesABadDuration() {
        int exit = run("demo", "--frozen", "forever");

        assertThat(exit).isEqualTo(HikkoshiCommand.USER_ERROR);
        assertThat(err.toString()).isEqualTo("error: --frozen forever is not a duration from 100ms to 5m\n"
                + "hint: write it like 2s or 500ms\n");
    }
}
