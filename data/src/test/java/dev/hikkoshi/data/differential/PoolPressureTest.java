package dev.hikkoshi.data.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When differential passes are reported as re-reading the tenant's tables from the source's disk. */
class PoolPressureTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    private static DiskPageReads at(long millis, long pages) {
        return new DiskPageReads(T0.plusMillis(millis), pages);
    }

    @Test
    void aPassReadingTheTablesFromDisk_isReportedWithTheFix() {
        PoolPressure pressure = new PoolPressure();
        pressure.afterPass(1, at(0, 0), at(800, 3_000), 0);

        // 1 s of pause reading 10 pages, then a pass of 800 ms reading 3,010: 3,002 beyond the server's own rate.
        Optional<String> warning = pressure.afterPass(2, at(1_800, 3_010), at(2_600, 6_020), 1);

        assertThat(warning).hasValue("differential pass 2 read 3,002 pages from the source's disk (3,010 while it"
                + " ran, against 10 a second between passes): the tenant's tables do not fit in the source's InnoDB"
                + " buffer pool, so every pass reads them again and can push the application's pages out; watch"
                + " Innodb_buffer_pool_reads on the source, and lengthen the source site's differential pass-interval"
                + " and minimum-pause, or use binlog or trigger capture (docs/data.md, Differential sync)");
    }

    @Test
    void theFirstPass_isNeverCharged() {
        // It follows a copy or a restart, and there is no rate between passes to set against it.
        assertThat(new PoolPressure().afterPass(1, at(0, 0), at(800, 50_000), 0)).isEmpty();
    }

    @Test
    void readsAtTheServersOwnRate_areNotThePasses() {
        PoolPressure pressure = new PoolPressure();
        pressure.afterPass(1, at(0, 0), at(1_000, 2_000), 0);

        // The application reads 2,000 pages a second whether a pass runs or not.
        assertThat(pressure.afterPass(2, at(2_000, 4_000), at(3_000, 6_100), 1)).isEmpty();
    }

    @Test
    void aPassFromThePool_isNotReported() {
        PoolPressure pressure = new PoolPressure();
        pressure.afterPass(1, at(0, 0), at(500, 900), 0);

        assertThat(pressure.afterPass(2, at(1_500, 900), at(2_000, 1_899), 1)).isEmpty();
    }

    @Test
    void heavyPasses_areReportedOnceEveryTenMinutes() {
        PoolPressure pressure = new PoolPressure();
        pressure.afterPass(1, at(0, 0), at(500, 0), 0);
        long minute = Duration.ofMinutes(1).toNanos();

        assertThat(pressure.afterPass(2, at(1_500, 0), at(2_000, 5_000), 0)).isPresent();
        assertThat(pressure.afterPass(3, at(3_000, 5_000), at(3_500, 10_000), 5 * minute)).isEmpty();
        assertThat(pressure.afterPass(4, at(4_500, 10_000), at(5_000, 15_000), 9 * minute)).isEmpty();
        assertThat(pressure.afterPass(5, at(6_000, 15_000), at(6_500, 20_000), 10 * minute)).isPresent();
    }

    @Test
    void passesBackToBack_keepTheLastRateMeasured() {
        PoolPressure pressure = new PoolPressure();
        pressure.afterPass(1, at(0, 0), at(1_000, 0), 0);
        pressure.afterPass(2, at(2_000, 1_000), at(3_000, 2_000), 0);

        // No pause before pass 3 (it followed a pass that found rows): 1,000 pages a second still applies.
        assertThat(pressure.afterPass(3, at(3_010, 2_000), at(4_010, 3_900), 1)).isEmpty();
        assertThat(pressure.afterPass(4, at(4_015, 3_900), at(5_015, 5_950), 2)).isPresent();
    }

    @Test
    void aServerRestartedBetweenPasses_isNotCharged() {
        PoolPressure pressure = new PoolPressure();
        pressure.afterPass(1, at(0, 5_000), at(500, 5_000), 0);

        // The counter went back to zero: no rate, no charge.
        assertThat(pressure.afterPass(2, at(1_500, 10), at(2_000, 8_000), 1)).isEmpty();
    }
}
