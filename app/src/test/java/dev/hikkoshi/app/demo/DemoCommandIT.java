package dev.hikkoshi.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.HikkoshiCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code hikkoshi demo} end to end: two real MariaDB servers, the sandbox shop per site, the real router and
 * controller in process, the shop's load; a wave of two, one rolled back by its rollback line.
 */
@Timeout(240)
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
    void demo_movesAWave_rollsTheSlowTenantBackByItself_andEveryCheckHolds() {
        int exit = run("demo");

        String report = out.toString();
        assertThat(report).as(report + err).startsWith("hikkoshi demo: a wave of shop-001 and shop-002 moves from legacy"
                + " to cloud under the shop's load; shop-002 is slow on cloud\n");
        assertThat(report).containsPattern("\\n  shop-001 +DONE +on cloud +freeze \\d+ ms +served by legacy -> cloud\\n");
        assertThat(report).containsPattern(
                "\\n  shop-002 +(ROLLED_BACK|PLANNED) +on legacy +freeze \\d+ ms +served by legacy -> cloud -> legacy\\n");
        assertThat(report).containsPattern("\\n  shop-003 +not moved +on legacy +freeze - +served by legacy\\n");
        assertThat(report).containsPattern("\\n    \\+ *\\d+\\.\\d\\ds  BAKING +-> ROLLBACK_FROZEN +rollback line crossed"
                + " in two consecutive windows ");
        assertThat(report).containsPattern("\\n  ok      no failed request \\([\\d,]+ requests, 0 failed\\)\\n");
        assertThat(report).containsPattern("\\n  ok      no misrouted write \\(RoutingInvariant\\) \\(");
        assertThat(report).containsPattern("\\n  ok      every acknowledged write on its tenant's final site"
                + " \\(AckedWritesCheck\\) \\([\\d,]+ orders on cloud, [\\d,]+ orders on legacy checked: 0 violations\\)\\n");
        assertThat(report).containsPattern("\\n  ok      shop-002 rolled back by its rollback line \\(final state"
                + " (ROLLED_BACK|PLANNED) on legacy; BAKING -> ROLLBACK_FROZEN: rollback line crossed ");
        assertThat(report).contains("\n  ok      shop-001 baked healthy to DONE (final state DONE on cloud)\n");
        assertThat(report).doesNotContain("FAILED");
        assertThat(report).endsWith("\nresult: ok: every check held\n");
        assertThat(exit).isZero();
    }

    @Test
    void demo_refusesAConfigFile() {
        int exit = run("demo", "--config", "mine.yaml");

        assertThat(exit).isEqualTo(HikkoshiCommand.USER_ERROR);
        assertThat(err.toString()).isEqualTo("error: hikkoshi demo does not take a config file (given: mine.yaml)\n"
                + "hint: run 'hikkoshi demo' alone: it writes its own config into a temporary directory and prints where\n");
    }
}
