package dev.hikkoshi.data.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapturePositionTest {
    @Test
    void everyNotation_readsBackFromItsText() {
        for (CapturePosition p : new CapturePosition[] {new CapturePosition.BinlogFile("mysql-bin.000012", 4567),
                new CapturePosition.Gtid("0-1-42,1-2-7"), new CapturePosition.ChangeLog(99),
                new CapturePosition.DifferentialPass(3),
                new CapturePosition.DifferentialPass(4, Optional.of(Instant.parse("2026-11-30T23:05:48.123Z")))}) {
            assertThat(CapturePosition.parse(p.text())).isEqualTo(p);
        }
    }

    @Test
    void differentialPass_claimsToTheMillisecondRoundedDown_alwaysWithThreeDigits() {
        var p = new CapturePosition.DifferentialPass(7, Optional.of(Instant.parse("2026-11-30T23:05:48.123999Z")));
        assertThat(p.text()).isEqualTo("pass:7@2026-11-30T23:05:48.123Z");
        assertThat(new CapturePosition.DifferentialPass(7, Optional.of(Instant.parse("2026-11-30T23:05:48Z"))).text())
                .isEqualTo("pass:7@2026-11-30T23:05:48.000Z");
        assertThat(new CapturePosition.DifferentialPass(7).text()).isEqualTo("pass:7");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CapturePosition.parse("pass:7@yesterday"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a capture position: pass:7@yesterday");
    }
}
