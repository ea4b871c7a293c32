package dev.hikkoshi.cutover.control;

import static dev.hikkoshi.cutover.control.ControllerFixture.ALICE;
import static dev.hikkoshi.cutover.control.ControllerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.move.KeepStreams;
import dev.hikkoshi.cutover.move.MoveStep;
import dev.hikkoshi.cutover.move.ScriptedStep;
import dev.hikkoshi.cutover.move.StepOutcome;
import dev.hikkoshi.cutover.plan.Fingerprint;
import dev.hikkoshi.cutover.plan.Gate;
import dev.hikkoshi.cutover.plan.Plan;
import dev.hikkoshi.cutover.plan.PlannedMove;
import dev.hikkoshi.cutover.plan.PlannedWave;
import dev.hikkoshi.cutover.plan.ThroughputSample;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's side of {@code hikkoshi apply PLAN}: adopting a plan (exactly its waves and tenants, journaled,
 * run again after a restart), refusing one when the world changed or another plan runs, the gates between waves
 * and the start window. The world's differences are given here; the real fingerprint is compared in ApplyIT.
 */
@Timeout(60)
class ControllerPlanTest {
    private static final String CONFIG_WAVES = "plan: { waves: [ { name: all, tenants: \"*\" } ] }\n";
    private static final List<String> TENANTS = List.of("acme", "beta", "gamma");
    private static final Function<Fingerprint, List<String>> SAME_WORLD = f -> List.of();
    private static final dev.hikkoshi.cutover.move.Refreeze NO_REFREEZE = a -> {
        throw new AssertionError("no re-freeze expected");
    };

    @TempDir
    Path dir;

    private ControllerFixture fixture(List<MoveStep> steps, Function<Fingerprint, List<String>> differences) {
        return new ControllerFixture(dir, CONFIG_WAVES, TENANTS, steps, NO_REFREEZE, KeepStreams.NONE,
                Clock.systemUTC(), Optional.empty(), differences);
    }

    static PlannedWave wave(String name, Gate gate, String... tenants) {
        return new PlannedWave(name, gate, Arrays.stream(tenants).map(t -> new PlannedMove(TenantId.of(t), 10, 1_000,
                Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(300))).toList());
    }

    static Plan plan(PlannedWave... waves) {
        return Plan.of(Instant.parse("2026-11-29T10:00:00Z"), SiteId.of("legacy"), SiteId.of("cloud"),
                Duration.ofSeconds(5), List.of(waves), List.of(), List.of(), List.of(),
                ThroughputSample.given(10_000, 1_000_000),
                new Fingerprint(Map.of(), Map.of(), Map.of(), Fingerprint.Tolerance.DEFAULT));
    }

    private static void refused(ThrowableAssert.ThrowingCallable call, String message, String hint) {
        assertThatThrownBy(call).isInstanceOf(UserException.class).hasMessage(message)
                .extracting(e -> ((UserException) e).hint()).isEqualTo(hint);
    }

    @Test
    void adopt_runsExactlyThePlansWavesAndTenants_andARestartedControllerRunsThePlanNotTheConfig() throws Exception {
        Plan plan = plan(wave("first", Gate.AUTO, "gamma"), wave("second", Gate.AUTO, "acme"));
        try (ControllerFixture f = fixture(ScriptedStep.happyPath(), SAME_WORLD)) {
            f.controller.adopt(ALICE, plan);
            f.awaitState("gamma", MoveState.DONE, 1);
            f.awaitState("acme", MoveState.DONE, 1);
            assertThat(f.board.status(TenantId.of("beta"))).isEmpty(); // not in the plan: never tracked, never moved
            assertThat(f.status("gamma").wave()).isEqualTo("first");
            assertThat(f.journal.replayed()).isEmpty(); // replayed is what the journal held when it was opened
        }
        try (ControllerFixture f = fixture(ScriptedStep.happyPath(), SAME_WORLD)) {
            assertThat(f.controller.waves()).containsExactly(
                    new PlanSettings.Wave("first", List.of(TenantId.of("gamma")), Gate.AUTO),
                    new PlanSettings.Wave("second", List.of(TenantId.of("acme")), Gate.AUTO));
            assertThat(f.journal.replayed()).filteredOn(e -> e instanceof JournalEntry.PlanAdopted).singleElement()
                    .satisfies(e -> assertThat(((JournalEntry.PlanAdopted) e).planId()).isEqualTo(plan.id()));
            assertThat(f.board.moves()).extracting(MoveStatus::tenant)
                    .containsExactlyInAnyOrder(TenantId.of("gamma"), TenantId.of("acme"));
            // the same plan again is harmless; a different one is refused only while one runs
            f.controller.adopt(ALICE, plan);
        }
    }

    @Test
    void adopt_refusesWhenTheWorldChanged_listingEveryDifference_andJournalsNothing() throws Exception {
        Plan plan = plan(wave("first", Gate.AUTO, "acme"));
        try (ControllerFixture f = fixture(ScriptedStep.happyPath(), fp -> List.of(
                "tenant acme: on cloud, the plan assumed legacy",
                "site cloud: table orders differs (column note added)"))) {
            refused(() -> f.controller.adopt(ALICE, plan), "apply refused: the world changed since plan "
                            + plan.id().substring(0, 12) + " was made (2 differences):\n"
                            + "  tenant acme: on cloud, the plan assumed legacy\n"
                            + "  site cloud: table orders differs (column note added)",
                    "run hikkoshi plan -c FILE -o PLAN again and apply the new plan");
            assertThat(f.controller.running()).isFalse();
            assertThat(f.status("acme").state()).isEqualTo(MoveState.PLANNED);
        }
        try (ControllerFixture f = fixture(ScriptedStep.happyPath(), SAME_WORLD)) {
            assertThat(f.journal.replayed()).isEmpty();
            refused(() -> f.controller.resumePlan(ALICE),
                    "apply --resume refused: no plan was applied to this controller yet",
                    "make one with hikkoshi plan -c FILE -o PLAN, then run hikkoshi apply PLAN -c FILE");
        }
    }

    @Test
    void approvalGate_holdsItsWaveUntilApproved_statusSaysSo_andOnlyOnePlanRunsAtATime() throws Exception {
        Plan plan = plan(wave("pilot", Gate.AUTO, "acme"), wave("rest", Gate.APPROVAL, "beta", "gamma"));
        Plan other = plan(wave("pilot", Gate.AUTO, "beta"));
        try (ControllerFixture f = fixture(ScriptedStep.happyPath(), SAME_WORLD)) {
            f.controller.adopt(ALICE, plan);
            f.awaitState("acme", MoveState.DONE, 1);
            await("waiting at the gate", () -> f.controller.status().waiting().isPresent());
            assertThat(f.controller.status().waiting()).contains("waiting for approval of wave rest");
            assertThat(f.controller.status().paused()).isFalse();
            Thread.sleep(150);
            assertThat(f.status("beta").state()).isEqualTo(MoveState.PLANNED);

            f.controller.adopt(ALICE, plan); // the same plan again: harmless
            refused(() -> f.controller.adopt(ALICE, other), "apply refused: plan " + plan.id().substring(0, 12)
                            + " is still running (wave rest); only one plan runs at a time",
                    "wait until it has finished (hikkoshi status shows where it is); sending the same plan again is harmless");
            f.controller.resumePlan(ALICE); // it runs already: nothing to do

            f.controller.approve(ALICE, "rest");
            f.awaitState("beta", MoveState.DONE, 1);
            f.awaitState("gamma", MoveState.DONE, 1);
            await("plan finished", () -> !f.controller.running());
            assertThat(f.controller.status().waiting()).isEmpty();
            assertThat(f.journal.replayed()).isEmpty();
        }
    }

    @Test
    void approvalGivenBeforeTheWaveIsReached_survivesARestart() throws Exception {
        Plan plan = plan(wave("pilot", Gate.AUTO, "acme"), wave("rest", Gate.APPROVAL, "beta"));
        CountDownLatch never = new CountDownLatch(1);
        ScriptedStep stuck = new ScriptedStep(MoveState.COPYING, (a, call) -> {
            never.await(); // the controller stops (a crash, for the plan) while the pilot copies
            return StepOutcome.go(MoveState.SYNCED, "copied");
        });
        try (ControllerFixture f = fixture(ScriptedStep.happyPathWith(stuck), SAME_WORLD)) {
            f.controller.adopt(ALICE, plan);
            f.awaitState("acme", MoveState.COPYING, 1);
            f.controller.approve(ALICE, "rest");
        }
        try (ControllerFixture f = fixture(ScriptedStep.happyPath(), SAME_WORLD)) {
            f.controller.start();
            f.awaitState("acme", MoveState.DONE, 1);
            f.awaitState("beta", MoveState.DONE, 1);
        }
    }

    @Test
    void startWindow_startsNoMoveOutsideIt_statusSaysWhy_andMovesStartOnceItOpens() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
        StartWindow night = new StartWindow(LocalTime.of(22, 0), LocalTime.of(4, 0), ZoneId.of("UTC"));
        try (ControllerFixture f = new ControllerFixture(dir, CONFIG_WAVES, List.of("acme"), ScriptedStep.happyPath(),
                NO_REFREEZE, KeepStreams.NONE, clock, Optional.of(night), SAME_WORLD)) {
            f.controller.apply(ALICE);
            await("status says why", () -> f.controller.status().waiting().isPresent());
            assertThat(f.controller.status().waiting()).contains("outside the start window 22:00-04:00 UTC: no move "
                    + "starts until 22:00; moves already started go on");
            Thread.sleep(150);
            assertThat(f.status("acme").state()).isEqualTo(MoveState.PLANNED);
            clock.set(Instant.parse("2026-11-29T23:30:00Z"));
            f.awaitState("acme", MoveState.DONE, 1);
            assertThat(f.controller.status().waiting()).isEmpty();
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
