package dev.hikkoshi.cutover.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.cutover.move.MoveAttempt;
import dev.hikkoshi.cutover.move.MoveStep;
import dev.hikkoshi.cutover.move.NoteKeys;
import dev.hikkoshi.cutover.move.StepOutcome;
import dev.hikkoshi.cutover.rollback.BakeStepTest.TestClock;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig.InconclusiveAction;
import dev.hikkoshi.router.route.ExchangeRecord;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The baseline measured as a move leaves PLANNED, over two real router traffic windows (1 s buckets) on a clock
 * the test sets: the note handed to the transition, the notices, and a baseline too thin to use.
 */
class BaselineStepTest {
    static final TenantId ACME = TenantId.of("acme");
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final Instant T0 = Instant.parse("2026-11-29T09:00:10Z");
    static final RollbackLineConfig LINE = new RollbackLineConfig(0.02, 2.0, Duration.ofMillis(300),
            Duration.ofSeconds(2), 20, Duration.ofSeconds(4), 1, InconclusiveAction.WAIT_FOR_APPROVAL);
    static final MoveAttempt PLANNED = new MoveAttempt(ACME, "pilot", 1, LEGACY, CLOUD, MoveState.PLANNED, Map.of());

    final TestClock clock = new TestClock(T0);
    final RouterTrafficWindow routerOne = new RouterTrafficWindow(Duration.ofSeconds(1), Duration.ofMinutes(1), clock);
    final RouterTrafficWindow routerTwo = new RouterTrafficWindow(Duration.ofSeconds(1), Duration.ofMinutes(1), clock);
    final List<MoveEvent> events = new CopyOnWriteArrayList<>();
    final AtomicInteger plannedRuns = new AtomicInteger();

    /** The move's own PLANNED step as far as this wrapper sees it: it cleans the target and notes a position. */
    final MoveStep planned = new MoveStep() {
        @Override
        public MoveState state() {
            return MoveState.PLANNED;
        }

        @Override
        public StepOutcome run(MoveAttempt attempt) {
            plannedRuns.incrementAndGet();
            return StepOutcome.go(MoveState.COPYING, "target cleaned", Map.of(NoteKeys.FORWARD_POSITION, "pos"));
        }
    };

    private BaselineStep step(List<? extends TrafficWindow> routers) {
        return new BaselineStep(planned, LINE, routers, events::add, clock);
    }

    /** {@code n} requests of acme on {@code site} at {@code at}, half through each router. */
    private void traffic(Instant at, String site, int n, long millis, int errors) {
        clock.set(at);
        for (int i = 0; i < n; i++) {
            RouterTrafficWindow router = i % 2 == 0 ? routerOne : routerTwo;
            router.completed(new ExchangeRecord(at, "r" + i, "acme", site, "127.0.0.1:1", "GET", "/", i < errors
                    ? 502 : 200, 0, 0, millis * 1000, millis * 1000, 0));
        }
    }

    @Test
    void run_notesTheOldSitesTrafficOverTheLastWindow_mergedAcrossRouters() throws Exception {
        traffic(T0.minusSeconds(10), LEGACY.value(), 100, 900, 50); // before the window: not part of the baseline
        traffic(T0.minusMillis(500), LEGACY.value(), 40, 450, 1);
        traffic(T0.minusMillis(500), CLOUD.value(), 40, 2000, 40); // another site: not part of it either
        clock.set(T0);
        StepOutcome outcome = step(List.of(routerOne, routerTwo)).run(PLANNED);

        String measured = "baseline of acme on legacy over 2s: 40 requests, 5xx 2.50%, p99 497 ms";
        assertThat(outcome).isEqualTo(StepOutcome.go(MoveState.COPYING, "target cleaned; " + measured,
                Map.of(NoteKeys.FORWARD_POSITION, "pos", NoteKeys.BASELINE, "requests=40 server-errors=1 p99-us=497500")));
        assertThat(Baseline.parseNote(outcome.notes().get(NoteKeys.BASELINE)).usable(LINE.minRequests())).isTrue();
        assertThat(events).containsExactly(new MoveEvent.Notice(ACME, MoveEvent.Severity.INFO, measured
                + " (a window on cloud may reach 2x of it where that exceeds the absolute thresholds)", T0));
    }

    @Test
    void run_tooLittleTrafficOnTheOldSite_notesIt_andWarnsThatOnlyTheAbsoluteThresholdsApply() throws Exception {
        traffic(T0.minusMillis(500), LEGACY.value(), 3, 450, 0);
        clock.set(T0);
        StepOutcome outcome = step(List.of(routerOne, routerTwo)).run(PLANNED);

        String measured = "baseline of acme on legacy over 2s: 3 requests, 5xx 0.00%, p99 497 ms";
        assertThat(outcome.reason()).isEqualTo("target cleaned; " + measured);
        Baseline noted = Baseline.parseNote(outcome.notes().get(NoteKeys.BASELINE));
        assertThat(noted.usable(LINE.minRequests())).isFalse();
        assertThat(events).containsExactly(new MoveEvent.Notice(ACME, MoveEvent.Severity.WARNING, measured
                + ", fewer than min-requests 20: the rollback line judges acme by its absolute thresholds only (5xx"
                + " 2.00%, p99 300 ms)", T0));
        // and the bake does: 450 ms on the new site is over 300 ms, though under 2x the thin baseline's 497 ms
        WindowJudge.Judged judged = new WindowJudge(LINE).judge(TrafficReading.of(Traffic.of().add(40, 450).stats(),
                List.of()), Optional.of(noted));
        assertThat(judged.detail()).isEqualTo("40 requests, 5xx 0.00% (limit 2.00%), p99 497 ms (limit 300 ms): bad:"
                + " p99 over its limit");
    }

    @Test
    void run_aRouterThatCannotBeRead_notesNoBaseline_andSaysWhy() throws Exception {
        traffic(T0.minusMillis(500), LEGACY.value(), 40, 20, 0);
        clock.set(T0);
        TrafficWindow unreachable = length -> {
            throw new IllegalStateException("connection refused");
        };
        StepOutcome outcome = step(List.of(routerOne, unreachable)).run(PLANNED);

        assertThat(outcome).isEqualTo(StepOutcome.go(MoveState.COPYING, "target cleaned",
                Map.of(NoteKeys.FORWARD_POSITION, "pos")));
        assertThat(events).containsExactly(new MoveEvent.Notice(ACME, MoveEvent.Severity.WARNING, "no baseline of"
                + " acme on legacy: not every router answered (router 2 of 2: connection refused): the rollback line"
                + " judges acme by its absolute thresholds only (5xx 2.00%, p99 300 ms)", T0));
    }

    @Test
    void run_whenThePlannedStepStays_measuresNothingIntoTheJournal() throws Exception {
        MoveStep waiting = new MoveStep() {
            @Override
            public MoveState state() {
                return MoveState.PLANNED;
            }

            @Override
            public StepOutcome run(MoveAttempt attempt) {
                return StepOutcome.stay(MoveState.PLANNED, "paused");
            }
        };
        StepOutcome outcome = new BaselineStep(waiting, LINE, List.of(routerOne), events::add, clock).run(PLANNED);
        assertThat(outcome).isEqualTo(StepOutcome.stay(MoveState.PLANNED, "paused"));
        assertThat(events).isEmpty();
    }
}
