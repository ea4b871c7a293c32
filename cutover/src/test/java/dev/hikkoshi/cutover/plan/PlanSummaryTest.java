package dev.hikkoshi.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.cutover.rollback.RollbackLineConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanSummaryTest {
    private static final RollbackLineConfig LINE = new RollbackLineConfig(0.02, 2.0, Duration.ofMillis(800),
            Duration.ofMinutes(1), 50, Duration.ofMinutes(10), 3, RollbackLineConfig.InconclusiveAction.WAIT_FOR_APPROVAL);

    @Test
    void render_listsWavesSkippedRefusedAndPreflight_andCountsErrors() {
        Plan p = PlanSamples.plan();
        Plan plan = Plan.of(p.created(), p.from(), p.to(), p.freezeMax(), p.waves(), p.skipped(), p.refused(),
                List.of(p.preflight().get(0), new PreflightFinding(PlanSamples.LEGACY, PlanSamples.CLOUD,
                        PreflightFinding.Severity.ERROR, "binary logging is off"), p.preflight().get(1)),
                p.throughput(), p.fingerprint());
        assertThat(PlanSummary.render(plan, LINE)).isEqualTo("""
                plan %s: legacy -> cloud, 2 waves, 2 tenants to move (1,040 rows, 162.5 KB), freeze.max 5.0 s
                throughput: 800 rows/s, 125.0 KB/s (given)
                rollback line: error-rate 2%%, relative 2x, p99 800ms, window 1m, min-requests 50, bake 10m, \
                inconclusive: 3 extensions, then wait-for-approval
                wave pilot (gate: approval): 1 tenant, 1,000 rows, 156.3 KB, copy 1.3 s in all
                  shop-001: 1,000 rows, 156.3 KB, copy 1.3 s, final sync 2.5 s, freeze 2.7 s
                wave rest (gate: auto): 1 tenant, 40 rows, 6.3 KB, copy 50 ms in all
                  shop-002: 40 rows, 6.3 KB, copy 50 ms, final sync 2.5 s, freeze 2.7 s
                skipped (no move needed):
                  shop-003 (wave rest): already on cloud
                refused (left out of the waves):
                  shop-004 (wave rest): estimated freeze 9.0 s exceeds freeze.max 5.0 s
                preflight legacy -> cloud:
                  ok      scope: 3 tables (3 per tenant)
                  error   binary logging is off
                preflight cloud -> legacy:
                  warning table countries is shared
                1 preflight error: a move or its rollback would fail as the servers are now; fix it and plan again
                """.formatted(plan.id().substring(0, 12)));
    }

    @Test
    void durationsAndSizes_readAsPeopleSayThem() {
        assertThat(PlanSummary.seconds(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(PlanSummary.seconds(Duration.ofMillis(2650))).isEqualTo("2.7 s");
        assertThat(PlanSummary.seconds(Duration.ofSeconds(200))).isEqualTo("3m 20s");
        assertThat(PlanSummary.seconds(Duration.ofMinutes(125))).isEqualTo("2h 05m");
        assertThat(PlanSummary.bytes(512)).isEqualTo("512 B");
        assertThat(PlanSummary.bytes(50L << 30)).isEqualTo("50.0 GB");
    }

    @Test
    void copyTime_isTheSlowerOfTheRowAndByteLimits_roundedUpToTheMillisecond() {
        ThroughputSample s = ThroughputSample.given(1000, 100_000);
        assertThat(s.copyTime(1000, 10_000)).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.copyTime(10, 250_000)).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.copyTime(1, 0)).isEqualTo(Duration.ofMillis(1));
        assertThat(ThroughputSample.given(3, 1e9).copyTime(1, 0)).isEqualTo(Duration.ofMillis(334));
    }
}
