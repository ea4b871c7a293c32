package dev.hikkoshi.cutover.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent.Judgement;
import dev.hikkoshi.core.move.MoveEvent.Verdict;
import dev.hikkoshi.cutover.rollback.BakeEvaluator.Decision;
import dev.hikkoshi.cutover.rollback.BakeEvaluator.Progress;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig.InconclusiveAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bake's decisions from verdicts judged on real traffic values (10 s windows, 30 s bake = 3 healthy). */
class BakeEvaluatorTest {
    static final RollbackLineConfig LINE = WindowJudgeTest.LINE;
    static final Traffic HEALTHY = Traffic.of().add(200, 20);
    static final Traffic SLOW = Traffic.of().add(190, 20).add(10, 900);
    static final Traffic ERRORS = Traffic.of().add(200, 20, 9);
    static final Traffic QUIET = Traffic.of().add(7, 20);

    final WindowJudge judge = new WindowJudge(LINE);
    final List<Verdict> verdicts = new ArrayList<>();

    private Progress windows(BakeEvaluator evaluator, Traffic... traffic) {
        for (Traffic t : traffic) {
            WindowJudge.Judged j = judge.judge(WindowJudgeTest.reading(t), Optional.empty());
            int n = verdicts.size() + 1;
            verdicts.add(new Verdict(WindowJudgeTest.ACME, 1, n, j.judgement(), j.detail(),
                    Instant.parse("2026-11-29T09:00:00Z").plusSeconds(10L * n)));
        }
        return evaluator.evaluate(verdicts);
    }

    private Progress windows(Traffic... traffic) {
        return windows(new BakeEvaluator(LINE), traffic);
    }

    @Test
    void twoConsecutiveBadWindows_rollBack() {
        Progress p = windows(HEALTHY, SLOW, ERRORS);
        assertThat(p.decision()).isEqualTo(Decision.ROLLBACK);
        assertThat(p.reason()).isEqualTo("rollback line crossed in two consecutive windows (2 and 3): 200 requests, "
                + "5xx 4.50% (limit 2.00%), p99 24 ms (limit 300 ms): bad: 5xx over its limit");
        assertThat(p.last().map(Verdict::window)).contains(3);
    }

    @Test
    void badGoodBad_doesNotRollBack() {
        Progress p = windows(SLOW, HEALTHY, SLOW);
        assertThat(p.decision()).isEqualTo(Decision.CONTINUE);
        assertThat(p.badStreak()).isEqualTo(1);
        assertThat(p.reason()).isEqualTo("baking: 3 windows judged, 1 of 3 healthy needed (2 bad, 0 inconclusive of "
                + "at most 2)");
        // and a later healthy run still bakes: bad windows do not count towards the bake time
        assertThat(windows(HEALTHY).decision()).isEqualTo(Decision.CONTINUE);
        assertThat(windows(HEALTHY).decision()).isEqualTo(Decision.BAKED);
    }

    @Test
    void inconclusiveBetweenTwoBad_neitherClearsNorAddsToTheStreak() {
        Progress p = windows(SLOW, QUIET);
        assertThat(p.decision()).isEqualTo(Decision.CONTINUE);
        assertThat(p.badStreak()).isEqualTo(1);
        assertThat(windows(SLOW).decision()).isEqualTo(Decision.ROLLBACK);
    }

    @Test
    void inconclusiveWindows_neverCountAsHealthy() {
        Progress p = windows(new BakeEvaluator(new RollbackLineConfig(0.02, 2, Duration.ofMillis(300),
                Duration.ofSeconds(10), 50, Duration.ofSeconds(10), 100, InconclusiveAction.WAIT_FOR_APPROVAL)),
                QUIET, QUIET, QUIET, QUIET, QUIET);
        assertThat(p.decision()).isEqualTo(Decision.CONTINUE);
        assertThat(p.healthy()).isZero();
        assertThat(p.inconclusive()).isEqualTo(5);
        assertThat(verdicts).allMatch(v -> v.judgement() == Judgement.INCONCLUSIVE);
    }

    @Test
    void inconclusiveExtendsTheBake_untilEnoughHealthyWindows() {
        assertThat(windows(HEALTHY, QUIET, HEALTHY).decision()).isEqualTo(Decision.CONTINUE);
        Progress p = windows(QUIET, HEALTHY);
        assertThat(p.decision()).isEqualTo(Decision.BAKED);
        assertThat(p.reason()).isEqualTo("baked: 3 healthy windows of 10s (0 bad, 2 inconclusive)");
    }

    @Test
    void extensionCapReached_waitsForApproval() {
        assertThat(windows(QUIET, HEALTHY, QUIET).decision()).isEqualTo(Decision.CONTINUE);
        Progress p = windows(QUIET);
        assertThat(p.decision()).isEqualTo(Decision.AWAIT_APPROVAL);
        assertThat(p.reason()).isEqualTo("bake inconclusive in 3 windows, more than inconclusive.max-extensions 2: "
                + "waiting for an operator's approval (hikkoshi approve)");
        assertThat(p.settled()).isTrue();
    }

    @Test
    void extensionCapReached_failsWhenConfiguredTo() {
        BakeEvaluator failing = new BakeEvaluator(new RollbackLineConfig(0.02, 2, Duration.ofMillis(300),
                Duration.ofSeconds(10), 50, Duration.ofSeconds(30), 0, InconclusiveAction.FAIL));
        Progress p = windows(failing, HEALTHY, QUIET);
        assertThat(p.decision()).isEqualTo(Decision.FAIL);
        assertThat(p.reason()).isEqualTo("bake inconclusive in 1 windows, more than inconclusive.max-extensions 0 "
                + "(inconclusive.then: fail)");
    }

    @Test
    void replay_isOrderIndependent_andCountsARepeatedWindowOnce() {
        windows(HEALTHY, SLOW, HEALTHY);
        List<Verdict> shuffled = new ArrayList<>(List.of(verdicts.get(2), verdicts.get(0), verdicts.get(1),
                verdicts.get(2)));
        Progress p = new BakeEvaluator(LINE).evaluate(shuffled);
        assertThat(p.windows()).isEqualTo(3);
        assertThat(p.healthy()).isEqualTo(2);
        assertThat(p.decision()).isEqualTo(Decision.CONTINUE);
        assertThat(new BakeEvaluator(LINE).evaluate(List.of()).decision()).isEqualTo(Decision.CONTINUE);
    }
}
