package dev.hikkoshi.cutover.control;

import static dev.hikkoshi.cutover.control.ControllerFixture.ALICE;
import static dev.hikkoshi.cutover.control.ControllerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.move.MoveAttempt;
import dev.hikkoshi.cutover.move.MoveBoard;
import dev.hikkoshi.cutover.move.MoveLog;
import dev.hikkoshi.cutover.move.ScriptedStep;
import dev.hikkoshi.cutover.move.StepOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ControllerTest {
    private static final String ONE_WAVE = "plan: { waves: [ { name: pilot, tenants: \"*\" } ] }\n";
    private static final dev.hikkoshi.cutover.move.Refreeze NO_REFREEZE = a -> {
        throw new AssertionError("no re-freeze expected");
    };

    @TempDir
    Path dir;

    private static void refused(ThrowableAssert.ThrowingCallable call, String message, String hint) {
        assertThatThrownBy(call).isInstanceOf(UserException.class).hasMessage(message)
                .extracting(e -> ((UserException) e).hint()).isEqualTo(hint);
    }

    @Test
    void wavesRunOneAfterAnother_withAtMostParallelMovesAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        ScriptedStep planned = new ScriptedStep(MoveState.PLANNED, (a, call) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            order.add("start " + a.tenant());
            return StepOutcome.go(MoveState.COPYING, "started");
        });
        ScriptedStep copying = new ScriptedStep(MoveState.COPYING, (a, call) -> {
            Thread.sleep(60);
            return StepOutcome.go(MoveState.SYNCED, "copied");
        });
        List<String> tenants = List.of("t1", "t2", "t3", "t4", "t5", "t6", "t7");
        String plan = "plan: { parallel-moves: 2, waves: [ { name: first, tenants: \"50%\" }, "
                + "{ name: second, tenants: \"*\" } ] }\n";
        try (ControllerFixture f = new ControllerFixture(dir, plan, tenants,
                ScriptedStep.happyPathWith(planned, copying), NO_REFREEZE)) {
            f.board.subscribe(e -> {
                if (e instanceof MoveEvent.Transition t && t.to() == MoveState.DONE) {
                    order.add("done " + t.tenant());
                    running.decrementAndGet();
                }
            });
            assertThat(f.controller.waves()).extracting(w -> w.tenants().size()).containsExactly(4, 3);
            f.controller.apply(ALICE);
            await("every move done", () -> f.board.moves().stream().allMatch(s -> s.state() == MoveState.DONE));
            assertThat(most.get()).isEqualTo(2);
            int lastFirstWaveDone = 0;
            for (String t : List.of("t1", "t2", "t3", "t4")) {
                lastFirstWaveDone = Math.max(lastFirstWaveDone, order.indexOf("done " + t));
            }
            for (String t : List.of("t5", "t6", "t7")) {
                assertThat(order.indexOf("start " + t)).as(t + " starts after wave first").isGreaterThan(lastFirstWaveDone);
            }
            assertThat(f.controller.status().paused()).isFalse();
        }
    }

    @Test
    void abort_pausesThePlanWithItsReason_andResumeRetriesTheTenantAsItsNextAttempt() throws Exception {
        ScriptedStep frozen = new ScriptedStep(MoveState.FROZEN, (a, call) -> {
            if (call == 1) {
                throw new IllegalStateException("router r2 did not confirm the freeze");
            }
            return StepOutcome.go(MoveState.FINAL_SYNC, "held");
        });
        try (ControllerFixture f = new ControllerFixture(dir, ONE_WAVE, List.of("acme"),
                ScriptedStep.happyPathWith(frozen), NO_REFREEZE)) {
            List<MoveEvent> notices = new CopyOnWriteArrayList<>();
            f.board.subscribe(e -> {
                if (e instanceof MoveEvent.Notice) {
                    notices.add(e);
                }
            });
            f.controller.apply(ALICE);
            await("paused", () -> f.controller.status().paused());
            assertThat(f.controller.status().pauseReason())
                    .contains("acme aborted (attempt 1): router r2 did not confirm the freeze");
            await("notice", () -> !notices.isEmpty());
            assertThat(notices).singleElement().satisfies(n -> {
                assertThat(((MoveEvent.Notice) n).severity()).isEqualTo(MoveEvent.Severity.WARNING);
                assertThat(((MoveEvent.Notice) n).text())
                        .isEqualTo("plan paused: acme aborted (attempt 1): router r2 did not confirm the freeze");
            });
            f.awaitState("acme", MoveState.PLANNED, 2);
            Thread.sleep(100);
            assertThat(f.status("acme").state()).isEqualTo(MoveState.PLANNED); // held by the pause
            f.controller.resume(ALICE);
            f.awaitState("acme", MoveState.DONE, 2);
            assertThat(frozen.calls).hasSize(2);
        }
    }

    @Test
    void pauseAndResume_refuseWhatMakesNoSense_andAPausedPlanStartsNoMove() throws Exception {
        ScriptedStep planned = ScriptedStep.to(MoveState.PLANNED, MoveState.COPYING);
        try (ControllerFixture f = new ControllerFixture(dir, ONE_WAVE, List.of("acme"),
                ScriptedStep.happyPathWith(planned), NO_REFREEZE)) {
            refused(() -> f.controller.resume(ALICE), "resume refused: the plan is not paused",
                    "hikkoshi status shows what it is doing");
            f.controller.pause(ALICE, "schema change on both sites");
            refused(() -> f.controller.pause(ALICE, "again"),
                    "pause refused: the plan is already paused: schema change on both sites", "hikkoshi resume continues it");
            f.controller.apply(ALICE);
            refused(() -> f.controller.apply(ALICE), "apply refused: the plan is already running (wave pilot)",
                    "hikkoshi status shows where it is; hikkoshi pause stops it between moves");
            Thread.sleep(150);
            assertThat(planned.calls).isEmpty();
            assertThat(f.controller.status().pauseReason()).contains("schema change on both sites");
            f.controller.resume(ALICE);
            f.awaitState("acme", MoveState.DONE, 1);
        }
        try (Journal journal = Journal.openIn(dir)) {
            assertThat(journal.replayed()).filteredOn(JournalEntry.PlanControl.class::isInstance)
                    .map(e -> ((JournalEntry.PlanControl) e).action() + " by " + ((JournalEntry.PlanControl) e).actor())
                    .containsExactly("PAUSED by ops-alice", "APPLIED by ops-alice", "RESUMED by ops-alice");
        }
    }

    @Test
    void rollback_refusesOutsideSwitchedBakingDone_andRollsADoneTenantBack_pausingThePlan() throws Exception {
        try (ControllerFixture f = new ControllerFixture(dir, ONE_WAVE, List.of("acme"), ScriptedStep.happyPath(),
                NO_REFREEZE)) {
            refused(() -> f.controller.rollback(ALICE, TenantId.of("zeta")), "rollback refused: zeta is not part of "
                    + "the plan", "hikkoshi status lists the plan's tenants");
            refused(() -> f.controller.rollback(ALICE, TenantId.of("acme")), "rollback refused: acme is PLANNED (a "
                    + "rollback needs SWITCHED, BAKING or DONE)", "a move before its switch aborts back by itself "
                    + "when a step fails; hikkoshi status shows where acme is");
            f.controller.apply(ALICE);
            f.awaitState("acme", MoveState.DONE, 1);
            await("the plan's walk ended", () -> !f.controller.running());
            f.controller.rollback(ALICE, TenantId.of("acme"));
            f.awaitState("acme", MoveState.PLANNED, 2);
            await("paused", () -> f.controller.status().paused());
            assertThat(f.controller.status().pauseReason())
                    .contains("acme rolled back (attempt 1): rollback by ops-alice");
            f.controller.resume(ALICE);
            f.controller.apply(ALICE);
            f.awaitState("acme", MoveState.DONE, 2);
        }
    }

    /** acme's bake crosses its rollback line on its first attempt only; beta bakes healthy. */
    private static ScriptedStep bakeRollsBackAcmeOnce() {
        return new ScriptedStep(MoveState.BAKING, (a, call) -> a.tenant().value().equals("acme") && a.attempt() == 1
                ? StepOutcome.go(MoveState.ROLLBACK_FROZEN, "rollback line crossed in two consecutive windows")
                : StepOutcome.go(MoveState.DONE, "baked"));
    }

    @Test
    void anAutomaticRollback_setsTheTenantAside_andWithContinueTheNextWaveStillRuns() throws Exception {
        String plan = "plan: { after-rollback: continue, waves: [ { name: pilot, tenants: [acme] },"
                + " { name: rest, tenants: \"*\" } ] }\n";
        List<MoveEvent> events = new CopyOnWriteArrayList<>();
        try (ControllerFixture f = new ControllerFixture(dir, plan, List.of("acme", "beta"),
                ScriptedStep.happyPathWith(bakeRollsBackAcmeOnce()), NO_REFREEZE)) {
            f.board.subscribe(events::add);
            f.controller.apply(ALICE);
            f.awaitState("beta", MoveState.DONE, 1);
            await("the plan's walk ended", () -> !f.controller.running());
            // Set aside, not tried again in this walk: a second attempt would have baked healthy.
            assertThat(f.status("acme").state()).isEqualTo(MoveState.PLANNED);
            assertThat(f.status("acme").attempt()).isEqualTo(2);
            assertThat(f.controller.status().paused()).isFalse();
            assertThat(events).filteredOn(MoveEvent.Notice.class::isInstance).map(e -> ((MoveEvent.Notice) e).text())
                    .contains("acme rolled back (attempt 1): rollback line crossed in two consecutive windows; set aside"
                            + " until the next apply, the plan goes on");
            f.controller.apply(ALICE);
            f.awaitState("acme", MoveState.DONE, 2);
        }
    }

    @Test
    void anAutomaticRollback_pausesThePlanByDefault_andTheResumedPlanLeavesTheTenantAside() throws Exception {
        String plan = "plan: { waves: [ { name: pilot, tenants: [acme] }, { name: rest, tenants: \"*\" } ] }\n";
        try (ControllerFixture f = new ControllerFixture(dir, plan, List.of("acme", "beta"),
                ScriptedStep.happyPathWith(bakeRollsBackAcmeOnce()), NO_REFREEZE)) {
            f.controller.apply(ALICE);
            await("paused", () -> f.controller.status().paused());
            assertThat(f.controller.status().pauseReason())
                    .contains("acme rolled back (attempt 1): rollback line crossed in two consecutive windows");
            assertThat(f.status("beta").state()).isEqualTo(MoveState.PLANNED);
            f.controller.resume(ALICE);
            f.awaitState("beta", MoveState.DONE, 1);
            await("the plan's walk ended", () -> !f.controller.running());
            assertThat(f.status("acme").state()).isEqualTo(MoveState.PLANNED);
            assertThat(f.status("acme").attempt()).isEqualTo(2);
        }
    }

    @Test
    void finalize_onlyFromDone_thenRollbackIsRefusedWithWhenItWasFinalized() throws Exception {
        ScriptedStep cleanup = new ScriptedStep(MoveState.FINALIZED, (a, c) -> StepOutcome.stay(MoveState.FINALIZED, "ok"));
        try (ControllerFixture f = new ControllerFixture(dir, ONE_WAVE, List.of("acme"),
                ScriptedStep.happyPathWith(cleanup), NO_REFREEZE)) {
            refused(() -> f.controller.finalizeMove(ALICE, TenantId.of("acme")),
                    "finalize refused: acme is PLANNED (finalize needs DONE)",
                    "wait until its bake ends (hikkoshi status shows it)");
            f.controller.apply(ALICE);
            f.awaitState("acme", MoveState.DONE, 1);
            f.controller.finalizeMove(ALICE, TenantId.of("acme"));
            f.awaitState("acme", MoveState.FINALIZED, 1);
            await("clean-up ran", () -> cleanup.calls.size() == 1);
            String at = f.status("acme").since().toString();
            refused(() -> f.controller.rollback(ALICE, TenantId.of("acme")), "rollback refused: acme was finalized at "
                    + at, "its reverse sync is stopped, so nothing can carry its writes back; to return it, move it "
                    + "back to legacy with a new plan");
            refused(() -> f.controller.finalizeMove(ALICE, TenantId.of("acme")),
                    "finalize refused: acme was finalized at " + at, "nothing left to do");
            assertThat(f.controller.status().paused()).isFalse();
        }
    }

    @Test
    void approve_refusesAnUnknownWaveOrOneWithoutABakingMove_andReleasesAMoveWaitingForIt() throws Exception {
        ScriptedStep baking = new ScriptedStep(MoveState.BAKING, (a, call) -> StepOutcome.awaitApproval(
                MoveState.BAKING, MoveState.DONE, "3 inconclusive windows"));
        String plan = "plan: { waves: [ { name: pilot, tenants: [acme] }, { name: rest, tenants: \"*\" } ] }\n";
        try (ControllerFixture f = new ControllerFixture(dir, plan, List.of("acme", "beta"),
                ScriptedStep.happyPathWith(baking), NO_REFREEZE)) {
            refused(() -> f.controller.approve(ALICE, "pilott"), "approve refused: there is no wave named pilott",
                    "the plan's waves are: pilot, rest");
            refused(() -> f.controller.approve(ALICE, "pilot"), "approve refused: no move of wave pilot is baking",
                    "approve lets moves whose bake stayed inconclusive go on; hikkoshi status shows which wait");
            f.controller.apply(ALICE);
            await("acme waits", () -> f.status("acme").problem()
                    .equals(Optional.of("waiting for approval of wave pilot: 3 inconclusive windows")));
            assertThat(f.status("beta").state()).isEqualTo(MoveState.PLANNED); // the next wave waits for pilot
            f.controller.approve(ALICE, "pilot");
            f.awaitState("acme", MoveState.DONE, 1);
            await("beta waits", () -> f.status("beta").problem().isPresent());
            f.controller.approve(ALICE, "rest");
            f.awaitState("beta", MoveState.DONE, 1);
        }
    }

    @Test
    void restart_walksThePlanByItself_onlyIfItWasApplied() throws Exception {
        try (ControllerFixture f = new ControllerFixture(dir, ONE_WAVE, List.of("acme"), ScriptedStep.happyPath(),
                NO_REFREEZE)) {
            f.controller.start();
            Thread.sleep(100);
            assertThat(f.status("acme").state()).isEqualTo(MoveState.PLANNED);
            assertThat(f.controller.running()).isFalse();
        }
        try (Journal journal = Journal.openIn(dir)) {
            new MoveLog(journal, new MoveBoard(), Clock.systemUTC()).planControl(JournalEntry.PlanAction.APPLIED,
                    Optional.empty(), "ops-alice", "applied by ops-alice");
        }
        try (ControllerFixture f = new ControllerFixture(dir, ONE_WAVE, List.of("acme"), ScriptedStep.happyPath(),
                NO_REFREEZE)) {
            f.controller.start();
            f.awaitState("acme", MoveState.DONE, 1);
        }
    }

    @Test
    void restart_replaysTheJournal_resumesAMoveLeftInFinalSyncAtOnce_refreezingIt_andKeepsThePause() throws Exception {
        try (Journal journal = Journal.openIn(dir)) {
            MoveLog log = new MoveLog(journal, new MoveBoard(), Clock.systemUTC());
            MoveAttempt a = new MoveAttempt(TenantId.of("acme"), "second", 1, SiteId.of("legacy"), SiteId.of("cloud"),
                    MoveState.PLANNED, Map.of());
            for (MoveState s : List.of(MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN, MoveState.FINAL_SYNC)) {
                a = log.transition(a, s, "scripted", s == MoveState.FROZEN ? Map.of("freeze.millis", "120") : Map.of());
            }
            MoveAttempt d = new MoveAttempt(TenantId.of("delta"), "first", 1, SiteId.of("legacy"), SiteId.of("cloud"),
                    MoveState.PLANNED, Map.of());
            for (MoveState s : List.of(MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN, MoveState.FINAL_SYNC,
                    MoveState.SWITCHED, MoveState.BAKING, MoveState.DONE)) {
                d = log.transition(d, s, "scripted", Map.of());
            }
            log.planControl(JournalEntry.PlanAction.PAUSED, Optional.empty(), "ops-bob", "look at acme");
        }
        List<String> refrozen = new CopyOnWriteArrayList<>();
        // acme's wave comes after beta's, which has not started: acme is frozen, so it must not wait for it.
        String plan = "plan: { waves: [ { name: first, tenants: [beta, delta] }, { name: second, tenants: [acme] } ] }\n";
        List<String> streams = new CopyOnWriteArrayList<>();
        try (ControllerFixture f = new ControllerFixture(dir, plan, List.of("acme", "beta", "delta"),
                ScriptedStep.happyPath(), a -> refrozen.add(a.tenant() + " " + a.state()),
                a -> streams.add(a.tenant() + " " + a.state()))) {
            assertThat(f.status("acme").state()).isEqualTo(MoveState.FINAL_SYNC);
            assertThat(f.status("acme").freezeTime()).contains(java.time.Duration.ofMillis(120));
            assertThat(f.controller.status().pauseReason()).contains("look at acme");
            f.controller.start();
            f.awaitState("acme", MoveState.DONE, 1); // a frozen move finishes even while paused
            assertThat(refrozen).containsExactly("acme FINAL_SYNC");
            await("delta's reverse stream restarted", () -> streams.contains("delta DONE"));
            assertThat(streams).containsExactlyInAnyOrder("acme FINAL_SYNC", "delta DONE");
            assertThat(f.status("delta").state()).isEqualTo(MoveState.DONE);
            Thread.sleep(100);
            assertThat(f.status("beta").state()).isEqualTo(MoveState.PLANNED);
            f.controller.resume(ALICE);
            f.awaitState("beta", MoveState.DONE, 1);
        }
    }
}
