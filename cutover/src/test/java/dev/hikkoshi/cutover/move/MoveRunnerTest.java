package dev.hikkoshi.cutover.move;

import static dev.hikkoshi.cutover.move.MoveFixture.ACME;
import static dev.hikkoshi.cutover.move.MoveFixture.planned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.cutover.journal.JournalEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MoveRunnerTest {
    private static final List<String> HAPPY = List.of("PLANNED>COPYING", "COPYING>SYNCED", "SYNCED>FROZEN",
            "FROZEN>FINAL_SYNC", "FINAL_SYNC>SWITCHED", "SWITCHED>BAKING", "BAKING>DONE");
    private static final Refreeze NO_REFREEZE = a -> {
        throw new AssertionError("no re-freeze expected for " + a.state());
    };

    @TempDir
    Path dir;

    @Test
    void happyPath_journalsEachTransitionBeforeTheNextStepRuns_andStopsAtDone() throws Exception {
        try (MoveFixture f = new MoveFixture(dir)) {
            List<MoveStep> steps = new ArrayList<>();
            for (MoveStep s : ScriptedStep.happyPath()) {
                // Each step first checks that the transition into its state is already on disk.
                steps.add(new ScriptedStep(s.state(), (a, call) -> {
                    if (a.state() != MoveState.PLANNED) {
                        List<JournalEntry.Transition> onDisk = f.journaled();
                        assertThat(onDisk.get(onDisk.size() - 1).to()).isEqualTo(a.state());
                    }
                    return s.run(a);
                }));
            }
            MoveAttempt end = f.runner(steps, NO_REFREEZE).run(planned(ACME), false);
            assertThat(end.state()).isEqualTo(MoveState.DONE);
            assertThat(f.path()).isEqualTo(HAPPY);
            assertThat(f.events).map(e -> ((MoveEvent.Transition) e).to()).containsExactly(MoveState.COPYING,
                    MoveState.SYNCED, MoveState.FROZEN, MoveState.FINAL_SYNC, MoveState.SWITCHED, MoveState.BAKING,
                    MoveState.DONE);
            MoveStatus status = f.board.status(ACME).orElseThrow();
            assertThat(status.state()).isEqualTo(MoveState.DONE);
            assertThat(status.since()).isEqualTo(f.journaled().get(6).at());
        }
    }

    @Test
    void stay_callsTheStepAgain_withoutJournaling_andNotesTravelWithTheTransition() throws Exception {
        try (MoveFixture f = new MoveFixture(dir)) {
            ScriptedStep copying = new ScriptedStep(MoveState.COPYING, (a, call) -> call < 4
                    ? StepOutcome.stay(MoveState.COPYING, "lag 900 rows")
                    : StepOutcome.go(MoveState.SYNCED, "lag 3 rows", Map.of(NoteKeys.FORWARD_POSITION, "bin.7:42")));
            ScriptedStep synced = new ScriptedStep(MoveState.SYNCED, (a, call) -> {
                assertThat(a.note(NoteKeys.FORWARD_POSITION)).contains("bin.7:42");
                return StepOutcome.go(MoveState.FROZEN, "fits");
            });
            f.runner(ScriptedStep.happyPathWith(copying, synced), NO_REFREEZE).run(planned(ACME), false);
            assertThat(copying.calls).hasSize(4);
            assertThat(f.path()).isEqualTo(HAPPY);
            assertThat(f.journaled().get(1).notes()).isEqualTo(Map.of(NoteKeys.FORWARD_POSITION, "bin.7:42"));
        }
    }

    @Test
    void illegalTransition_sendsTheMoveToFailed_withTheReason() throws Exception {
        try (MoveFixture f = new MoveFixture(dir)) {
            ScriptedStep copying = new ScriptedStep(MoveState.COPYING, (a, call) -> StepOutcome.go(MoveState.DONE, "oops"));
            MoveAttempt end = f.runner(ScriptedStep.happyPathWith(copying), NO_REFREEZE).run(planned(ACME), false);
            assertThat(end.state()).isEqualTo(MoveState.FAILED);
            assertThat(f.path()).containsExactly("PLANNED>COPYING", "COPYING>FAILED");
            assertThat(f.journaled().get(1).reason()).isEqualTo("illegal transition COPYING -> DONE asked by the "
                    + "COPYING step (allowed: [SYNCED, ABORTING, FAILED]): oops");
            assertThat(f.board.status(ACME).orElseThrow().problem()).contains(f.journaled().get(1).reason());
        }
    }

    @Test
    void stepFailingBeforeTheSwitch_aborts_andReturnsAtPlannedAsTheNextAttempt() throws Exception {
        for (MoveState failing : List.of(MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN, MoveState.FINAL_SYNC)) {
            try (MoveFixture f = new MoveFixture(dir.resolve(failing.name()))) {
                ScriptedStep step = new ScriptedStep(failing, (a, call) -> {
                    throw new IllegalStateException("router r2 did not confirm the freeze");
                });
                MoveAttempt end = f.runner(ScriptedStep.happyPathWith(step), NO_REFREEZE).run(planned(ACME), false);
                assertThat(end.state()).isEqualTo(MoveState.PLANNED);
                assertThat(end.attempt()).isEqualTo(2);
                List<String> path = f.path();
                assertThat(path.subList(path.size() - 2, path.size()))
                        .containsExactly(failing + ">ABORTING", "ABORTING>PLANNED");
                assertThat(f.journaled().get(path.size() - 2).reason()).isEqualTo("router r2 did not confirm the freeze");
                assertThat(f.board.status(ACME).orElseThrow().attempt()).isEqualTo(2);
            }
        }
    }

    @Test
    void stepFailingAfterTheSwitch_inRollback_orWhileAborting_fails() throws Exception {
        for (MoveState failing : List.of(MoveState.SWITCHED, MoveState.BAKING, MoveState.ABORTING)) {
            try (MoveFixture f = new MoveFixture(dir.resolve(failing.name()))) {
                ScriptedStep step = new ScriptedStep(failing, (a, call) -> {
                    throw new IllegalStateException("boom in " + failing);
                });
                List<MoveStep> steps = ScriptedStep.happyPathWith(step);
                if (failing == MoveState.ABORTING) {
                    steps = ScriptedStep.happyPathWith(step, new ScriptedStep(MoveState.SYNCED, (a, c) -> {
                        throw new IllegalStateException("lag grows");
                    }));
                }
                MoveAttempt end = f.runner(steps, NO_REFREEZE).run(planned(ACME), false);
                assertThat(end.state()).isEqualTo(MoveState.FAILED);
                List<JournalEntry.Transition> t = f.journaled();
                assertThat(t.get(t.size() - 1).from()).isEqualTo(failing);
                assertThat(t.get(t.size() - 1).reason()).isEqualTo("boom in " + failing);
            }
        }
    }

    @Test
    void plannedStepFailing_journalsNothing_andReturnsTheSameAttemptWithTheProblem() throws Exception {
        try (MoveFixture f = new MoveFixture(dir)) {
            f.board.track(new MoveStatus(ACME, "pilot", 1, MoveState.PLANNED, java.time.Instant.now(),
                    planned(ACME).from(), planned(ACME).to(), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty()));
            ScriptedStep step = new ScriptedStep(MoveState.PLANNED, (a, call) -> {
                throw new java.sql.SQLException("Access denied for user 'migrator'");
            });
            MoveAttempt end = f.runner(ScriptedStep.happyPathWith(step), NO_REFREEZE).run(planned(ACME), false);
            assertThat(end).isEqualTo(planned(ACME));
            assertThat(f.journaled()).isEmpty();
            assertThat(f.board.status(ACME).orElseThrow().problem())
                    .contains("could not start: Access denied for user 'migrator'");
        }
    }

    @Test
    void resumedInFinalSync_refreezesBeforeTheStep_andAFailedRefreezeAborts() throws Exception {
        try (MoveFixture f = new MoveFixture(dir.resolve("ok"))) {
            List<String> order = new ArrayList<>();
            ScriptedStep finalSync = new ScriptedStep(MoveState.FINAL_SYNC, (a, call) -> {
                order.add("step");
                return StepOutcome.go(MoveState.SWITCHED, "drained");
            });
            MoveAttempt resumed = planned(ACME).advance(MoveState.FINAL_SYNC, Map.of());
            f.runner(ScriptedStep.happyPathWith(finalSync), a -> order.add("refreeze " + a.state())).run(resumed, true);
            assertThat(order).containsExactly("refreeze FINAL_SYNC", "step");
        }
        try (MoveFixture f = new MoveFixture(dir.resolve("fails"))) {
            MoveAttempt resumed = planned(ACME).advance(MoveState.FINAL_SYNC, Map.of());
            MoveAttempt end = f.runner(ScriptedStep.happyPath(), a -> {
                throw new IllegalStateException("router r1 unreachable");
            }).run(resumed, true);
            assertThat(end.state()).isEqualTo(MoveState.PLANNED);
            assertThat(f.journaled().get(0).reason()).isEqualTo("re-freeze on resume failed: router r1 unreachable");
            assertThat(f.path()).containsExactly("FINAL_SYNC>ABORTING", "ABORTING>PLANNED");
        }
    }

    @Test
    void rollbackRequest_whileBaking_goesThroughTheRollbackLine_toTheNextAttempt() throws Exception {
        try (MoveFixture f = new MoveFixture(dir)) {
            ScriptedStep baking = new ScriptedStep(MoveState.BAKING, (a, call) -> {
                if (call == 3) {
                    f.requests.requestRollback(ACME, "rollback by ops-alice");
                }
                return StepOutcome.stay(MoveState.BAKING, "window " + call + " healthy");
            });
            MoveAttempt end = f.runner(ScriptedStep.happyPathWith(baking), NO_REFREEZE).run(planned(ACME), false);
            assertThat(end.state()).isEqualTo(MoveState.PLANNED);
            assertThat(end.attempt()).isEqualTo(2);
            List<String> path = f.path();
            assertThat(path.subList(6, path.size())).containsExactly("BAKING>ROLLBACK_FROZEN",
                    "ROLLBACK_FROZEN>ROLLBACK_SYNC", "ROLLBACK_SYNC>ROLLED_BACK", "ROLLED_BACK>PLANNED");
            assertThat(f.journaled().get(6).reason()).isEqualTo("rollback by ops-alice");
        }
    }

    @Test
    void doneMove_withARollbackRequest_rollsBack_andWithAFinalizeRequest_finalizesAndCleansUp() throws Exception {
        try (MoveFixture f = new MoveFixture(dir)) {
            MoveAttempt done = f.runner(ScriptedStep.happyPath(), NO_REFREEZE).run(planned(ACME), false);
            f.requests.requestFinalize(ACME, "finalized by ops-bob");
            ScriptedStep cleanup = new ScriptedStep(MoveState.FINALIZED, (a, c) -> StepOutcome.stay(MoveState.FINALIZED, "clean"));
            MoveAttempt end = f.runner(ScriptedStep.happyPathWith(cleanup), NO_REFREEZE).run(done, false);
            assertThat(end.state()).isEqualTo(MoveState.FINALIZED);
            assertThat(cleanup.calls).hasSize(1);
            assertThat(f.journaled().get(7).reason()).isEqualTo("finalized by ops-bob");
        }
    }

    @Test
    void awaitApproval_waitsUntilTheWaveIsApproved_thenJournalsTheNamedState() throws Exception {
        try (MoveFixture f = new MoveFixture(dir)) {
            ScriptedStep baking = new ScriptedStep(MoveState.BAKING, (a, call) -> StepOutcome.awaitApproval(
                    MoveState.BAKING, MoveState.DONE, "3 inconclusive windows"));
            CompletableFuture<MoveAttempt> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return f.runner(ScriptedStep.happyPathWith(baking), NO_REFREEZE).run(planned(ACME), false);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (baking.calls.size() < 3) {
                Thread.sleep(5);
            }
            assertThat(f.board.status(ACME).orElseThrow().problem())
                    .contains("waiting for approval of wave pilot: 3 inconclusive windows");
            f.log.planControl(JournalEntry.PlanAction.APPROVED, java.util.Optional.of("other"), "ops-bob", "wrong wave");
            Thread.sleep(50);
            assertThat(run).isNotDone();
            f.log.planControl(JournalEntry.PlanAction.APPROVED, java.util.Optional.of("pilot"), "ops-alice", "ok");
            assertThat(run.get(10, TimeUnit.SECONDS).state()).isEqualTo(MoveState.DONE);
            assertThat(f.journaled().get(6).reason()).isEqualTo("approved by ops-alice (3 inconclusive windows)");
            assertThat(f.board.status(ACME).orElseThrow().problem()).isEmpty();
        }
    }

    @Test
    void approvalGivenBeforeTheMoveEnteredItsState_doesNotCarryOver() throws Exception {
        try (MoveFixture f = new MoveFixture(dir)) {
            f.log.planControl(JournalEntry.PlanAction.APPROVED, java.util.Optional.of("pilot"), "ops-alice", "early");
            Thread.sleep(5);
            MoveAttempt baking = planned(ACME).advance(MoveState.BAKING, Map.of());
            f.board.track(new MoveStatus(ACME, "pilot", 1, MoveState.BAKING, java.time.Instant.now(),
                    baking.from(), baking.to(), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty()));
            assertThat(f.log.approval(baking)).isEmpty();
            f.log.planControl(JournalEntry.PlanAction.APPROVED, java.util.Optional.of("pilot"), "ops-bob", "now");
            assertThat(f.log.approval(baking)).map(JournalEntry.PlanControl::actor).contains("ops-bob");
        }
    }

    @Test
    void pause_holdsAMoveBeforeTheFreeze_andResumeLetsItGoOn() throws Exception {
        try (MoveFixture f = new MoveFixture(dir)) {
            ScriptedStep copying = new ScriptedStep(MoveState.COPYING, (a, call) -> {
                f.requests.paused(true);
                return StepOutcome.go(MoveState.SYNCED, "copied");
            });
            CompletableFuture<MoveAttempt> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return f.runner(ScriptedStep.happyPathWith(copying), NO_REFREEZE).run(planned(ACME), false);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(Duration.ofMillis(200).toMillis());
            assertThat(run).isNotDone();
            assertThat(f.path()).containsExactly("PLANNED>COPYING", "COPYING>SYNCED");
            f.requests.paused(false);
            assertThat(run.get(10, TimeUnit.SECONDS).state()).isEqualTo(MoveState.DONE);
        }
    }

    @Test
    void stepThrowingAnErrorAtAnyState_thenAFreshRunnerOnTheReplayedJournal_neitherSkipsNorRepeats() throws Exception {
        List<MoveState> states = List.of(MoveState.PLANNED, MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN,
                MoveState.FINAL_SYNC, MoveState.SWITCHED, MoveState.BAKING);
        for (MoveState crashIn : states) {
            Path stateDir = dir.resolve(crashIn.name());
            try (MoveFixture f = new MoveFixture(stateDir)) {
                ScriptedStep crashing = new ScriptedStep(crashIn, (a, call) -> {
                    throw new OutOfMemoryError("simulated crash in " + crashIn);
                });
                try {
                    f.runner(ScriptedStep.happyPathWith(crashing), NO_REFREEZE).run(planned(ACME), false);
                    throw new AssertionError("the crash did not happen");
                } catch (OutOfMemoryError expected) {
                    assertThat(expected).hasMessage("simulated crash in " + crashIn);
                }
            }
            try (MoveFixture f = new MoveFixture(stateDir)) {
                var replay = dev.hikkoshi.cutover.journal.JournalReplay.of(f.journal.file(), f.journal.replayed());
                MoveAttempt resumed = replay.move(ACME).map(m -> m.attempt()).orElse(planned(ACME));
                assertThat(resumed.state()).isEqualTo(crashIn);
                List<String> refrozen = new ArrayList<>();
                MoveAttempt end = f.runner(ScriptedStep.happyPath(), a -> refrozen.add(a.state().name()))
                        .run(resumed, true);
                assertThat(end.state()).isEqualTo(MoveState.DONE);
                assertThat(f.path()).as("crash in %s", crashIn).isEqualTo(HAPPY);
                assertThat(refrozen).isEqualTo(crashIn == MoveState.FINAL_SYNC ? List.of("FINAL_SYNC") : List.of());
            }
        }
    }
}
