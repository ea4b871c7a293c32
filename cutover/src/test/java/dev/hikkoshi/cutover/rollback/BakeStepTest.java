package dev.hikkoshi.cutover.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveEvent.Judgement;
import dev.hikkoshi.core.move.MoveEvent.Verdict;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.move.MoveAttempt;
import dev.hikkoshi.cutover.move.NoteKeys;
import dev.hikkoshi.cutover.move.StepOutcome;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig.InconclusiveAction;
import dev.hikkoshi.router.route.ExchangeRecord;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The BAKING step over two real router traffic windows (1 s buckets) on a clock the test moves: windows,
 * verdicts, transitions, and a resume from the journaled verdicts alone.
 */
class BakeStepTest {
    static final TenantId ACME = TenantId.of("acme");
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final Instant T0 = Instant.parse("2026-11-29T09:00:10Z");
    static final RollbackLineConfig LINE = new RollbackLineConfig(0.02, 2.0, Duration.ofMillis(300),
            Duration.ofSeconds(2), 20, Duration.ofSeconds(4), 1, InconclusiveAction.WAIT_FOR_APPROVAL);
    static final MoveAttempt BAKING = new MoveAttempt(ACME, "pilot", 1, LEGACY, CLOUD, MoveState.BAKING, Map.of());

    final TestClock clock = new TestClock(T0);
    final RouterTrafficWindow routerOne = new RouterTrafficWindow(Duration.ofSeconds(1), Duration.ofMinutes(1), clock);
    final RouterTrafficWindow routerTwo = new RouterTrafficWindow(Duration.ofSeconds(1), Duration.ofMinutes(1), clock);
    final ListJournal journal = new ListJournal();
    final List<MoveEvent> events = new CopyOnWriteArrayList<>();
    final AtomicBoolean approved = new AtomicBoolean();

    /** A journal kept in a list: the edge the runner's durable journal stands behind. */
    static final class ListJournal implements VerdictJournal {
        final List<Verdict> verdicts = new CopyOnWriteArrayList<>();

        @Override
        public void append(Verdict verdict) {
            verdicts.add(verdict);
        }

        @Override
        public List<Verdict> verdicts(TenantId tenant, int attempt) {
            return verdicts.stream().filter(v -> v.tenant().equals(tenant) && v.attempt() == attempt).toList();
        }
    }

    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
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

    private BakeStep step() {
        return new BakeStep(LINE, List.of(routerOne, routerTwo), journal, a -> approved.get(), events::add, clock);
    }

    /** {@code n} requests of acme on cloud at {@code at}, half through each router. */
    private void traffic(Instant at, int n, long millis, int errors) {
        clock.set(at);
        for (int i = 0; i < n; i++) {
            RouterTrafficWindow router = i % 2 == 0 ? routerOne : routerTwo;
            router.completed(new ExchangeRecord(at, "r" + i, "acme", "cloud", "127.0.0.1:1", "GET", "/", i < errors
                    ? 502 : 200, 0, 0, millis * 1000, millis * 1000, 0));
        }
    }

    private StepOutcome runAt(BakeStep step, MoveAttempt attempt, Instant at) {
        clock.set(at);
        return step.run(attempt);
    }

    @Test
    void run_whileAWindowRuns_staysAndJudgesNothing() {
        BakeStep step = step();
        assertThat(runAt(step, BAKING, T0)).isEqualTo(StepOutcome.stay(MoveState.BAKING,
                "window 1 runs until 2026-11-29T09:00:12Z"));
        traffic(T0.plusMillis(1500), 40, 20, 0);
        assertThat(runAt(step, BAKING, T0.plusMillis(1999)).stays(MoveState.BAKING)).isTrue();
        assertThat(journal.verdicts).isEmpty();
    }

    @Test
    void run_twoBadWindows_goesToRollbackFrozen() {
        BakeStep step = step();
        runAt(step, BAKING, T0);
        traffic(T0.plusMillis(1500), 40, 900, 0);
        StepOutcome first = runAt(step, BAKING, T0.plusSeconds(2));
        assertThat(first.stays(MoveState.BAKING)).isTrue();
        assertThat(journal.verdicts).singleElement().satisfies(v -> {
            assertThat(v.window()).isEqualTo(1);
            assertThat(v.judgement()).isEqualTo(Judgement.BAD);
            assertThat(v.detail()).isEqualTo("40 requests, 5xx 0.00% (limit 2.00%), p99 995 ms (limit 300 ms): bad: "
                    + "p99 over its limit");
        });
        traffic(T0.plusMillis(3500), 40, 20, 20);
        assertThat(runAt(step, BAKING, T0.plusMillis(3900)).stays(MoveState.BAKING)).isTrue();
        StepOutcome second = runAt(step, BAKING, T0.plusSeconds(4));
        assertThat(second).isEqualTo(StepOutcome.go(MoveState.ROLLBACK_FROZEN, "rollback line crossed in two "
                + "consecutive windows (1 and 2): 40 requests, 5xx 50.00% (limit 2.00%), p99 24 ms (limit 300 ms): bad: "
                + "5xx over its limit"));
        assertThat(journal.verdicts).extracting(Verdict::window).containsExactly(1, 2);
    }

    @Test
    void run_healthyWindowsForTheBakeTime_goesToDone() {
        BakeStep step = step();
        runAt(step, BAKING, T0);
        traffic(T0.plusMillis(1500), 30, 20, 0);
        assertThat(runAt(step, BAKING, T0.plusSeconds(2)).stays(MoveState.BAKING)).isTrue();
        traffic(T0.plusMillis(3500), 30, 20, 0);
        assertThat(runAt(step, BAKING, T0.plusSeconds(4))).isEqualTo(StepOutcome.go(MoveState.DONE,
                "baked: 2 healthy windows of 2s (0 bad, 0 inconclusive)"));
    }

    @Test
    void run_afterACrash_resumesFromTheJournaledVerdictsAlone() {
        BakeStep beforeCrash = step();
        runAt(beforeCrash, BAKING, T0);
        traffic(T0.plusMillis(1500), 40, 900, 0);
        runAt(beforeCrash, BAKING, T0.plusSeconds(2));
        // a new controller (a fresh step: nothing carried in memory); the next window ends one window after the
        // last journaled verdict
        BakeStep resumed = step();
        assertThat(runAt(resumed, BAKING, T0.plusMillis(3000))).isEqualTo(StepOutcome.stay(MoveState.BAKING,
                "window 2 runs until 2026-11-29T09:00:14Z"));
        traffic(T0.plusMillis(3500), 40, 900, 0);
        assertThat(runAt(resumed, BAKING, T0.plusSeconds(4)).next()).isEqualTo(MoveState.ROLLBACK_FROZEN);

        // crashed after journaling the second verdict but before the transition: the next run decides again
        // from the journal, without reading any traffic
        RouterTrafficWindow empty = new RouterTrafficWindow(Duration.ofSeconds(1), Duration.ofMinutes(1), clock);
        BakeStep afterCrash = new BakeStep(LINE, List.of(empty), journal, a -> false, events::add, clock);
        assertThat(runAt(afterCrash, BAKING, T0.plusSeconds(60)).next()).isEqualTo(MoveState.ROLLBACK_FROZEN);
        assertThat(journal.verdicts).hasSize(2);
    }

    @Test
    void run_crashBeforeTheFirstVerdict_startsTheFirstWindowAgain() {
        runAt(step(), BAKING, T0);
        assertThat(runAt(step(), BAKING, T0.plusSeconds(3))).isEqualTo(StepOutcome.stay(MoveState.BAKING,
                "window 1 runs until 2026-11-29T09:00:15Z"));
    }

    @Test
    void run_tooLittleTraffic_extendsWithANotice_thenWaitsForApproval() {
        BakeStep step = step();
        runAt(step, BAKING, T0);
        traffic(T0.plusMillis(1500), 5, 20, 0);
        assertThat(runAt(step, BAKING, T0.plusSeconds(2)).stays(MoveState.BAKING)).isTrue();
        assertThat(events).singleElement().isEqualTo(new MoveEvent.Notice(ACME, MoveEvent.Severity.WARNING,
                "bake of acme extended (1 of 1): window 1: 5 requests, fewer than min-requests 20: inconclusive",
                T0.plusSeconds(2)));
        traffic(T0.plusMillis(3500), 5, 20, 0);
        StepOutcome waiting = runAt(step, BAKING, T0.plusSeconds(4));
        String why = "bake inconclusive in 2 windows, more than inconclusive.max-extensions 1: waiting for an "
                + "operator's approval (hikkoshi approve)";
        assertThat(waiting).isEqualTo(StepOutcome.stay(MoveState.BAKING, why));
        assertThat(events).last().isEqualTo(new MoveEvent.Notice(ACME, MoveEvent.Severity.WARNING,
                why.replace("(hikkoshi approve)", "(hikkoshi approve pilot)"), T0.plusSeconds(4)));
        // waiting judges no more windows, however long it waits
        assertThat(runAt(step, BAKING, T0.plusSeconds(60))).isEqualTo(StepOutcome.stay(MoveState.BAKING, why));
        assertThat(journal.verdicts).hasSize(2);
        approved.set(true);
        assertThat(runAt(step, BAKING, T0.plusSeconds(61))).isEqualTo(StepOutcome.go(MoveState.DONE,
                "approved by an operator after: " + why));
    }

    @Test
    void run_usesTheBaselineNote_toLiftTheLatencyLimit() {
        // acme was slow on its old site already: p99 400 ms, so 2x = 800 ms is its limit on the new site
        Baseline slowOnLegacy = new Baseline(500, 0, Optional.of(Duration.ofMillis(400)));
        MoveAttempt withBaseline = BAKING.advance(MoveState.BAKING, Map.of(NoteKeys.BASELINE, slowOnLegacy.toNote()));
        BakeStep step = step();
        runAt(step, withBaseline, T0);
        traffic(T0.plusMillis(1500), 40, 450, 0);
        runAt(step, withBaseline, T0.plusSeconds(2));
        assertThat(journal.verdicts).singleElement().satisfies(v -> assertThat(v.detail()).isEqualTo(
                "40 requests, 5xx 0.00% (limit 2.00%), p99 497 ms (limit 800 ms, 2x baseline): healthy"));
    }

    @Test
    void run_outsideBaking_isABug() {
        MoveAttempt done = BAKING.advance(MoveState.DONE, Map.of());
        List<Throwable> failures = new ArrayList<>();
        try {
            step().run(done);
        } catch (IllegalStateException e) {
            failures.add(e);
        }
        assertThat(failures).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("bake step run for acme in DONE");
    }
}
