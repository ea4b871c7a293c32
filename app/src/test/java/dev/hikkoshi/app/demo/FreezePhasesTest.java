package dev.hikkoshi.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.shop.ShopExchange;
import dev.hikkoshi.sandbox.shop.ShopOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FreezePhasesTest {
    private static final TenantId A = TenantId.of("shop-001");
    private static final TenantId B = TenantId.of("shop-002");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static MoveEvent.Transition at(TenantId t, MoveState from, MoveState to, long millis) {
        return new MoveEvent.Transition(t, 1, from, to, "r", T0.plusMillis(millis));
    }

    private static final List<MoveEvent.Transition> TRANSITIONS = List.of(
            at(A, MoveState.SYNCED, MoveState.FROZEN, 1_000),
            at(A, MoveState.FROZEN, MoveState.FINAL_SYNC, 1_100),
            at(A, MoveState.FINAL_SYNC, MoveState.SWITCHED, 1_400),
            at(A, MoveState.SWITCHED, MoveState.BAKING, 1_450),
            at(B, MoveState.SYNCED, MoveState.FROZEN, 2_000),
            at(B, MoveState.FROZEN, MoveState.FINAL_SYNC, 2_300),
            at(B, MoveState.FINAL_SYNC, MoveState.ABORTING, 9_000));

    @Test
    void phases_ofTenantsThatReachedBaking_fromTheirTransitions() {
        var phases = FreezePhases.of(TRANSITIONS);
        assertThat(phases).containsOnlyKeys(A);
        assertThat(phases.get(A)).isEqualTo(new FreezePhases.Phases(A, Duration.ofMillis(100), Duration.ofMillis(300),
                Duration.ofMillis(50)));
        assertThat(FreezePhases.summary(phases)).contains("freezing median 100 ms, largest 100 ms;"
                + " final sync median 300 ms, largest 300 ms; switch median 50 ms, largest 50 ms");
    }

    @Test
    void failures_groupedByReason_withTheTenantsStateWhenTheyStarted() {
        ShopExchange ok = new ShopExchange(B, new ShopOperation.ListOrders(), OptionalLong.empty(),
                Optional.of("legacy"), T0, T0.plusMillis(5), 200, Optional.empty());
        ShopExchange held = new ShopExchange(B, new ShopOperation.ListOrders(), OptionalLong.empty(), Optional.empty(),
                T0.plusMillis(2_350), T0.plusMillis(32_350), 0, Optional.of("no response within 30000 ms"));
        ShopExchange held2 = new ShopExchange(B, new ShopOperation.ListOrders(), OptionalLong.empty(), Optional.empty(),
                T0.plusMillis(2_360), T0.plusMillis(32_360), 0, Optional.of("no response within 30001 ms"));
        List<String> lines = FreezePhases.failures(List.of(ok, held, held2), TRANSITIONS);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("2 x ListOrders: no response within N ms; first: ")
                .endsWith("its tenant in FINAL_SYNC (entered 50 ms before it started)");
    }
}
