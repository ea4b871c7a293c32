package dev.hikkoshi.watch.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MoveCheckTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final MoveCheck.Options AGE = new MoveCheck.Options(new Threshold(Optional.of(600.0), Optional.of(3600.0)));

    private static MoveStatus move(String tenant, MoveState state, long secondsAgo, Optional<String> problem) {
        return new MoveStatus(TenantId.of(tenant), "pilot", 1, state, NOW.minusSeconds(secondsAgo), SiteId.of("legacy"),
                SiteId.of("cloud"), Optional.empty(), Optional.empty(), problem);
    }

    @Test
    void healthyPlan_isOk_withCounts() {
        CheckResult r = MoveCheck.run(List.of(move("acme", MoveState.DONE, 900, Optional.empty()),
                move("globex", MoveState.COPYING, 30, Optional.empty())), false, Optional.empty(), Optional.empty(), AGE, NOW);

        assertThat(r.line()).isEqualTo("HIKKOSHI MOVE OK - 2 moves, 1 done, 0 frozen, 0 failed | moves=2;;;0; done=1;;;0;"
                + " frozen=0;;;0; failed=0;;0;0; oldest_working=30s;600;3600;0;");
    }

    @Test
    void failedMove_isCritical_pausedPlanAndRollback_warn_andStuckMovesByAge() {
        assertThat(MoveCheck.run(List.of(move("acme", MoveState.FAILED, 5, Optional.of("router r2 did not release"))),
                false, Optional.empty(), Optional.empty(), AGE, NOW).summary())
                .startsWith("acme FAILED (router r2 did not release) (1 move");
        CheckResult paused = MoveCheck.run(List.of(move("acme", MoveState.ROLLBACK_SYNC, 5, Optional.empty())), true,
                Optional.of("split-brain: orders id=10 on site legacy"), Optional.empty(), AGE, NOW);
        assertThat(paused.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(paused.summary()).startsWith("plan paused: split-brain: orders id=10 on site legacy; acme ROLLBACK_SYNC (");
        assertThat(MoveCheck.run(List.of(move("acme", MoveState.SYNCED, 4000, Optional.empty())), false, Optional.empty(),
                Optional.empty(), AGE, NOW).status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(MoveCheck.run(List.of(move("acme", MoveState.BAKING, 4000, Optional.empty())), false, Optional.empty(),
                Optional.empty(), AGE, NOW).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void oneTenant_isNamed_andAnUnknownOneIsUnknown() {
        List<MoveStatus> moves = List.of(move("acme", MoveState.FROZEN, 2, Optional.empty()),
                move("globex", MoveState.FAILED, 2, Optional.empty()));

        CheckResult acme = MoveCheck.run(moves, false, Optional.empty(), Optional.of("acme"), AGE, NOW);
        assertThat(acme.status()).isEqualTo(CheckStatus.OK);
        assertThat(acme.summary()).isEqualTo("1 move, 0 done, 1 frozen, 0 failed; acme is FROZEN since 2026-11-29T09:59:58Z");
        assertThat(MoveCheck.run(moves, false, Optional.empty(), Optional.of("initech"), AGE, NOW).line())
                .isEqualTo("HIKKOSHI MOVE UNKNOWN - the controller has no move for tenant initech");
    }
}
