package dev.hikkoshi.cutover.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent.Judgement;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficStats;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig.InconclusiveAction;
import dev.hikkoshi.cutover.rollback.WindowJudge.Judged;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowJudgeTest {
    static final RollbackLineConfig LINE = new RollbackLineConfig(0.02, 2.0, Duration.ofMillis(300),
            Duration.ofSeconds(10), 50, Duration.ofSeconds(30), 2, InconclusiveAction.WAIT_FOR_APPROVAL);
    static final TenantId ACME = TenantId.of("acme");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final TrafficKey KEY = new TrafficKey("acme", CLOUD);
    final WindowJudge judge = new WindowJudge(LINE);

    static TrafficReading reading(Traffic t) {
        return TrafficReading.of(t.stats(), List.of());
    }

    /** A router's window holding only the given stats for acme on cloud. */
    static TrafficWindow router(TrafficStats stats) {
        Instant now = Instant.parse("2026-11-29T09:00:10Z");
        return length -> new TrafficWindow.Snapshot(now.minus(length), now, Map.of(KEY, stats));
    }

    @Test
    void judge_withinAbsoluteLimits_isHealthy() {
        Judged j = judge.judge(reading(Traffic.of().add(99, 20).add(1, 200, 1)), Optional.empty());
        assertThat(j).isEqualTo(new Judged(Judgement.HEALTHY,
                "100 requests, 5xx 1.00% (limit 2.00%), p99 25 ms (limit 300 ms): healthy"));
    }

    @Test
    void judge_p99OverAbsoluteLimit_isBad() {
        // 96 fast, 4 in the 250..500 ms bucket: rank 99 lies 3/4 into that bucket -> 437.5 ms
        Judged j = judge.judge(reading(Traffic.of().add(96, 20).add(4, 400)), Optional.empty());
        assertThat(j).isEqualTo(new Judged(Judgement.BAD,
                "100 requests, 5xx 0.00% (limit 2.00%), p99 437 ms (limit 300 ms): bad: p99 over its limit"));
    }

    @Test
    void judge_baselineMultipleAboveAbsolute_liftsTheLimit() {
        // the tenant was already slow on its old site: p99 250 ms there, so 2x = 500 ms is its limit
        Baseline slowTenant = new Baseline(1000, 30, Optional.of(Duration.ofMillis(250)));
        Traffic window = Traffic.of().add(96, 20).add(4, 400).add(0, 0);
        Judged j = judge.judge(reading(window), Optional.of(slowTenant));
        assertThat(j).isEqualTo(new Judged(Judgement.HEALTHY,
                "100 requests, 5xx 0.00% (limit 6.00%, 2x baseline), p99 437 ms (limit 500 ms, 2x baseline): healthy"));
        // the same window errors at 5%: under 2x its baseline 3%, though over the absolute 2%
        Judged errors = judge.judge(reading(Traffic.of().add(95, 20).add(5, 20, 5)), Optional.of(slowTenant));
        assertThat(errors.judgement()).isEqualTo(Judgement.HEALTHY);
    }

    @Test
    void judge_baselineMultipleBelowAbsolute_keepsTheAbsoluteLimit() {
        Baseline fastTenant = new Baseline(1000, 1, Optional.of(Duration.ofMillis(40)));
        Judged j = judge.judge(reading(Traffic.of().add(97, 20).add(3, 120, 3)), Optional.of(fastTenant));
        assertThat(j).isEqualTo(new Judged(Judgement.BAD,
                "100 requests, 5xx 3.00% (limit 2.00%), p99 200 ms (limit 300 ms): bad: 5xx over its limit"));
    }

    @Test
    void judge_baselineWithTooFewRequests_isNotUsed() {
        Baseline thin = new Baseline(3, 1, Optional.of(Duration.ofSeconds(5)));
        Judged j = judge.judge(reading(Traffic.of().add(96, 20).add(4, 400, 4)), Optional.of(thin));
        assertThat(j).isEqualTo(new Judged(Judgement.BAD,
                "100 requests, 5xx 4.00% (limit 2.00%), p99 437 ms (limit 300 ms): bad: 5xx and p99 over their limits"));
    }

    @Test
    void judge_fewerThanMinRequests_isInconclusiveEvenWhenEveryRequestWasFine() {
        Judged j = judge.judge(reading(Traffic.of().add(49, 3)), Optional.empty());
        assertThat(j).isEqualTo(new Judged(Judgement.INCONCLUSIVE,
                "49 requests, fewer than min-requests 50: inconclusive"));
        assertThat(judge.judge(reading(Traffic.of()), Optional.empty()).judgement()).isEqualTo(Judgement.INCONCLUSIVE);
    }

    @Test
    void judge_aRouterThatDidNotAnswer_isInconclusive() {
        TrafficWindow down = length -> {
            throw new IllegalStateException("127.0.0.1:8081 refused the connection");
        };
        TrafficReading r = TrafficReading.read(List.of(router(Traffic.of().add(500, 3).stats()), down), KEY,
                Duration.ofSeconds(10));
        assertThat(r.requests()).isEqualTo(500);
        assertThat(judge.judge(r, Optional.empty())).isEqualTo(new Judged(Judgement.INCONCLUSIVE,
                "not every router answered (router 2 of 2: 127.0.0.1:8081 refused the connection): inconclusive"));
    }

    @Test
    void read_twoRouters_percentileFromMergedBucketsNotAveraged() {
        // router 1: 98 requests at 10 ms, 2 slow at 1 s (its own p99: 750 ms); router 2: 100 at 10 ms (p99 ~10 ms).
        // Averaging the two p99s gives ~380 ms (bad against 300 ms); merged, 2 of 200 are slow = 1% -> p99 10 ms.
        TrafficStats one = Traffic.of().add(98, 10).add(2, 1000).stats();
        TrafficStats two = Traffic.of().add(100, 10).stats();
        Duration p99One = TrafficReading.of(one, List.of()).p99().orElseThrow();
        Duration p99Two = TrafficReading.of(two, List.of()).p99().orElseThrow();
        assertThat(p99One.plus(p99Two).dividedBy(2)).isGreaterThan(LINE.p99());

        TrafficReading merged = TrafficReading.read(List.of(router(one), router(two)), KEY, Duration.ofSeconds(10));
        assertThat(merged.requests()).isEqualTo(200);
        assertThat(merged.p99()).contains(Duration.ofMillis(10));
        assertThat(judge.judge(merged, Optional.empty())).isEqualTo(new Judged(Judgement.HEALTHY,
                "200 requests, 5xx 0.00% (limit 2.00%), p99 10 ms (limit 300 ms): healthy"));

        // one more slow request on router 2 puts 3 of 201 above the 99th rank: the merged p99 is slow now
        TrafficStats twoSlower = Traffic.of().add(99, 10).add(1, 1000).stats();
        TrafficReading slower = TrafficReading.read(List.of(router(one), router(twoSlower)), KEY, Duration.ofSeconds(10));
        assertThat(judge.judge(slower, Optional.empty()).judgement()).isEqualTo(Judgement.BAD);
    }

    @Test
    void quantile_inTheUnboundedLastBucket_reportsItsLowerBound() {
        assertThat(TrafficReading.of(Traffic.of().add(100, 60_000).stats(), List.of()).p99())
                .contains(Duration.ofSeconds(10));
    }

    @Test
    void baseline_measuredAcrossRouters_roundTripsThroughItsNote() {
        TrafficWindow one = router(Traffic.of().add(150, 40).add(2, 700, 2).stats());
        TrafficWindow two = router(Traffic.of().add(48, 40).stats());
        Baseline b = Baseline.measure(List.of(one, two), ACME, CLOUD, Duration.ofMinutes(5));
        assertThat(b.requests()).isEqualTo(200);
        assertThat(b.serverErrors()).isEqualTo(2);
        // rank 198 of 200 is the last request of the 25..50 ms bucket: the two slow ones are above the p99
        assertThat(b.p99()).contains(Duration.ofMillis(50));
        assertThat(b.toNote()).isEqualTo("requests=200 server-errors=2 p99-us=50000");
        assertThat(Baseline.parseNote(b.toNote())).isEqualTo(b);
        Baseline none = new Baseline(0, 0, Optional.empty());
        assertThat(Baseline.parseNote(none.toNote())).isEqualTo(none);
        assertThat(none.toNote()).isEqualTo("requests=0 server-errors=0 p99-us=-");
    }
}
