package dev.hikkoshi.watch.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckResultTest {
    @Test
    void line_statusSummaryAndPerfDataInPluginSyntax() {
        Threshold rate = new Threshold(Optional.of(1.0), Optional.of(5.0));
        CheckResult r = new CheckResult("ROUTER", CheckStatus.WARNING, "5xx rate 2.5% above 1% | oops\nnext",
                List.of(PerfData.of("error_rate", 2.5, "%").thresholds(rate).max(100), PerfData.of("requests", 1200, "c")));
        assertThat(r.line()).isEqualTo("HIKKOSHI ROUTER WARNING - 5xx rate 2.5% above 1% / oops next"
                + " | error_rate=2.5%;1;5;0;100 requests=1200c;;;0;");
        assertThat(r.status().exitCode()).isEqualTo(1);
    }

    @Test
    void threshold_judgesStrictlyAbove_andRefusesWarningAboveCritical() {
        Threshold t = new Threshold(Optional.of(1.0), Optional.of(5.0));
        assertThat(t.judge(1.0)).isEqualTo(CheckStatus.OK);
        assertThat(t.judge(1.01)).isEqualTo(CheckStatus.WARNING);
        assertThat(t.judge(5.01)).isEqualTo(CheckStatus.CRITICAL);
        assertThat(Threshold.NONE.judge(1e9)).isEqualTo(CheckStatus.OK);
        assertThatThrownBy(() -> new Threshold(Optional.of(6.0), Optional.of(5.0)))
                .hasMessage("warning threshold 6 is above the critical threshold 5");
    }

    @Test
    void worst_criticalBeatsUnknownBeatsWarning() {
        assertThat(CheckStatus.OK.worst(CheckStatus.WARNING)).isEqualTo(CheckStatus.WARNING);
        assertThat(CheckStatus.WARNING.worst(CheckStatus.UNKNOWN)).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(CheckStatus.UNKNOWN.worst(CheckStatus.CRITICAL)).isEqualTo(CheckStatus.CRITICAL);
        assertThat(CheckStatus.CRITICAL.worst(CheckStatus.UNKNOWN)).isEqualTo(CheckStatus.CRITICAL);
        assertThat(CheckStatus.UNKNOWN.exitCode()).isEqualTo(3);
    }
}
