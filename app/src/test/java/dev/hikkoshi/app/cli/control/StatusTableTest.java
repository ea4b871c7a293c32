package dev.hikkoshi.app.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void lines_alignEveryColumn_andShowTheAttemptAfterTheFirst() {
        ControllerStatus status = new ControllerStatus(List.of(
                new MoveStatus(TenantId.of("acme"), "pilot", 1, MoveState.BAKING, NOW.minusSeconds(95),
                        SiteId.of("legacy"), SiteId.of("cloud"), Optional.of(Duration.ofMillis(1812)),
                        Optional.of("window 3: healthy"), Optional.empty()),
                new MoveStatus(TenantId.of("globex-japan"), "half", 2, MoveState.COPYING, NOW.minusSeconds(7500),
                        SiteId.of("legacy"), SiteId.of("cloud"), Optional.empty(), Optional.empty(),
                        Optional.of("retrying after an abort: router r2 did not confirm the freeze"))),
                true, Optional.of("schema change"), Optional.empty(), Map.of(TenantId.of("acme"),
                        "nothing: reverse sync streaming, 0.2 s behind (0 events to carry back)"));

        assertThat(StatusTable.lines(status, NOW)).containsExactly(
                "plan: PAUSED (schema change)",
                "TENANT        WAVE   STATE       AGE    SITES            FREEZE    LAST VERDICT       PROBLEM"
                        + " ".repeat(56) + "A ROLLBACK WOULD LOSE",
                "acme          pilot  BAKING      1m35s  legacy -> cloud  1,812 ms  window 3: healthy  -"
                        + " ".repeat(62) + "nothing: reverse sync streaming, 0.2 s behind (0 events to carry back)",
                "globex-japan  half   COPYING #2  2h05m  legacy -> cloud  -         -                  retrying after "
                        + "an abort: router r2 did not confirm the freeze  -");
    }

    @Test
    void lines_ofAnEmptyPlan_sayThereIsNothing() {
        assertThat(StatusTable.lines(new ControllerStatus(List.of(), false, Optional.empty()), NOW))
                .containsExactly("plan: running", "no moves: the plan has no tenants yet");
    }

    @Test
    void lines_ofAPlanWaitingAtAGate_sayWhatItWaitsFor() {
        assertThat(StatusTable.lines(new ControllerStatus(List.of(), false, Optional.empty(),
                Optional.of("waiting for approval of wave rest")), NOW))
                .startsWith("plan: waiting for approval of wave rest");
    }

    @Test
    void age_isShort_andNeverNegative() {
        assertThat(List.of(Duration.ofSeconds(-3), Duration.ofSeconds(12), Duration.ofSeconds(3600),
                Duration.ofHours(76).plusMinutes(10)).stream().map(StatusTable::age))
                .containsExactly("0s", "12s", "1h00m", "3d04h");
    }
}
