package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After a switch: the reverse sync carries the tenant's writes made on the new site back to the old one while
 * the bypass watch reads the old site's binlog. A write made directly on the old site to the moved tenant's
 * row is reported with table and key; none of the reverse sync's own (marked) writes is.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class ReverseSyncIT {
    @Test
    void bypassWriteOnTheOldSite_isReportedWithTableAndKey_andNoneOfTheReverseSyncsWritesIs(SchemaPair pair) throws Exception {
        List<BypassWrite> reported = new CopyOnWriteArrayList<>();
        try (StreamFixture old = StreamIT.fixture(pair); StreamFixture reverse = reverse(pair);
             BinlogTailer newSite = reverse.capture(); BinlogTailer oldSite = old.capture()) {
            old.copy("1");
            CapturePosition notedWhileFrozen = newSite.currentPosition();
            CapturePosition switchedAt = oldSite.currentPosition();
            try (TenantStream back = TenantStream.start(reverse.setup("1", true), newSite, notedWhileFrozen);
                 BypassWatch watch = new BypassWatch(old.setup("1", false), SiteId.of("legacy"), Set.of(), oldSite,
                         switchedAt, reported::add)) {
                ShopWriter onNewSite = new ShopWriter(reverse.sourceUrl, 3);
                onNewSite.start();
                Thread.sleep(1_500);
                try (Connection c = StreamFixture.connect(old.sourceUrl); Statement s = c.createStatement()) {
                    s.execute("UPDATE orders SET note = 'written by a cron job' WHERE id = 2"); // tenant 1's order
                    s.execute("UPDATE orders SET note = 'another tenant' WHERE id = 1");        // tenant 2's order
                }
                Thread.sleep(1_500);
                assertThat(onNewSite.stop()).isGreaterThan(50);
                assertThat(back.awaitCaughtUp(Duration.ofSeconds(30))).as("%s", back.status()).isTrue();
                Thread.sleep(500); // the watch reads the old site's binlog on its own thread

                assertThat(back.status().appliedChanges()).isPositive();
                assertThat(back.status().reverse()).isTrue();
                assertThat(reported).extracting(BypassWrite::tenant, BypassWrite::site, BypassWrite::table,
                                BypassWrite::primaryKey)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(Optional.of(TenantId.of("t1")),
                                SiteId.of("legacy"), "orders", "id=2"));
                assertThat(watch.stopped()).isEmpty();
            }
        }
    }

    /**
     * With the trigger capture, the watch acknowledges what it has reported, so the old site's change log is purged
     * behind it instead of growing with every write there until the move is finalized (the newest row stays).
     */
    @Test
    void bypassWatch_onTheTriggerCapture_reports_andLetsTheChangeLogBePurgedBehindIt(SchemaPair pair) throws Exception {
        List<BypassWrite> reported = new CopyOnWriteArrayList<>();
        try (StreamFixture old = StreamIT.fixture(pair);
             dev.hikkoshi.data.trigger.TriggerCapture oldSite = old.triggerCapture()) {
            oldSite.install();
            String changeLog = oldSite.installer().changeLogTable();
            try (BypassWatch watch = new BypassWatch(old.setup("1", false), SiteId.of("legacy"), Set.of(), oldSite,
                    oldSite.currentPosition(), reported::add)) {
                try (Connection c = StreamFixture.connect(old.sourceUrl); Statement s = c.createStatement()) {
                    s.execute("UPDATE orders SET note = 'written by a cron job' WHERE id = 2"); // tenant 1's order
                    for (int i = 0; i < 20; i++) {
                        s.execute("UPDATE orders SET note = 'another tenant " + i + "' WHERE id = 1"); // tenant 2's
                    }
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while ((reported.isEmpty() || StreamFixture.count(old.source, "SELECT COUNT(*) FROM " + changeLog) > 1)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }

                assertThat(reported).extracting(BypassWrite::table, BypassWrite::primaryKey)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", "id=2"));
                assertThat(StreamFixture.count(old.source, "SELECT COUNT(*) FROM " + changeLog)).as("rows left in %s",
                        changeLog).isEqualTo(1);
                assertThat(watch.stopped()).isEmpty();
            }
        }
    }

    @Test
    void reverseApplyFailure_isFailedAndCritical_withTheConflictNamed(SchemaPair pair) throws Exception {
        try (StreamFixture old = StreamIT.fixture(pair); StreamFixture reverse = reverse(pair);
             BinlogTailer newSite = reverse.capture()) {
            old.copy("1");
            CapturePosition notedWhileFrozen = newSite.currentPosition();
            try (TenantStream back = TenantStream.start(reverse.setup("1", true), newSite, notedWhileFrozen)) {
                pair.source().execute("INSERT INTO customers VALUES (999, 2, 'same name')"); // another tenant, old site
                pair.target().execute("INSERT INTO customers VALUES (998, 1, 'same name')"); // the moved tenant, new site
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (back.state() != dev.hikkoshi.core.stream.StreamState.FAILED && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                dev.hikkoshi.core.stream.StreamStatus status = back.status();
                assertThat(status.state()).isEqualTo(dev.hikkoshi.core.stream.StreamState.FAILED);
                assertThat(status.critical()).isTrue();
                assertThat(status.problem()).contains("unique key conflict in table customers on sandbox target: the"
                        + " source row id=998 cannot be written because another target row has the same value of"
                        + " unique key uk_name");
                assertThat(StreamFixture.rows(old.source, "SELECT id FROM customers WHERE name = 'same name'"))
                        .containsExactly("999");
            }
        }
    }

    /**
     * A watch restarted from the same noted position (the controller restarted during the bake) reports only writes
     * it has not reported yet; once its position is forgotten, or for a watch noted elsewhere (another attempt), the
     * whole history from the noted position is read again.
     */
    @Test
    void restartedWatch_reportsOnlyWhatItHadNotReported(SchemaPair pair) throws Exception {
        try (StreamFixture old = StreamIT.fixture(pair)) {
            CapturePosition beforeAnyBypass;
            CapturePosition noted;
            try (BinlogTailer oldSite = old.capture()) {
                beforeAnyBypass = oldSite.currentPosition();
                bypass(old, 2); // ids 2, 5 and 8 are orders of tenant 1
                noted = oldSite.currentPosition();
            }
            assertThat(watchWhile(old, noted, 5, "id=5")).containsExactly("id=5");
            assertThat(watchWhile(old, noted, 8, "id=8")).as("restarted from the same noted position")
                    .containsExactly("id=8");

            BypassWatch.forgetPosition(old.setup("1", false));
            assertThat(watchWhile(old, noted, 0, "id=8")).as("after its position was forgotten")
                    .containsExactly("id=5", "id=8");
            assertThat(watchWhile(old, beforeAnyBypass, 0, "id=8")).as("started from another noted position")
                    .containsExactly("id=2", "id=5", "id=8");
        }
    }

    private static void bypass(StreamFixture f, int orderId) throws java.sql.SQLException {
        try (Connection c = StreamFixture.connect(f.sourceUrl); Statement s = c.createStatement()) {
            s.execute("UPDATE orders SET note = 'written by a cron job' WHERE id = " + orderId);
        }
    }

    /**
     * Starts a watch of tenant 1 at {@code from}, makes a bypassing write to order {@code orderId} (none for 0), and
     * returns the keys reported once {@code last} is among them (the binlog is read in order, so every earlier write
     * it reports has been reported by then).
     */
    private static List<String> watchWhile(StreamFixture old, CapturePosition from, int orderId, String last)
            throws Exception {
        List<BypassWrite> reported = new CopyOnWriteArrayList<>();
        try (BinlogTailer oldSite = old.capture();
             BypassWatch watch = new BypassWatch(old.setup("1", false), SiteId.of("legacy"), Set.of(), oldSite, from,
                     reported::add)) {
            if (orderId > 0) {
                bypass(old, orderId);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (reported.stream().noneMatch(w -> w.primaryKey().equals(last)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(watch.stopped()).isEmpty();
        }
        return reported.stream().map(BypassWrite::primaryKey).toList();
    }

    /** The reverse direction: the new site (the sandbox target server) is the source, the old site the target. */
    static StreamFixture reverse(SchemaPair pair) throws java.sql.SQLException {
        return new StreamFixture(pair.target().server().jdbcUrl(""), pair.source().server().jdbcUrl(""), pair.name());
    }
}
