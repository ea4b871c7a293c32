package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A forward stream that has caught up after starting deletes the join-path rows the copy left on the target whose
 * parent is on neither side and which are gone from the source themselves (no change will ever mark them); it
 * leaves those whose parent or own row the source still holds. A reverse stream deletes no parentless row: its
 * target is the old site, whose parentless rows are its application's (neither by a sweep, nor when a change of the
 * tenant's marks one).
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class CopyOrphansIT {
    @Test
    void caughtUpStream_deletesTargetChildrenGoneFromTheSourceWithTheirParent_keepsThoseTheSourceExplains(SchemaPair pair)
            throws Exception {
        try (StreamFixture f = StreamIT.fixture(pair); BinlogTailer capture = f.capture()) {
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            String elsewhere = StreamFixture.rows(f.source, "SELECT MIN(id) FROM orders WHERE tenant_id = 2").get(0);
            assertThat(StreamFixture.rows(f.target, "SELECT COUNT(*) FROM orders WHERE id = " + elsewhere))
                    .as("tenant 2 was not copied").containsExactly("0");
            // Items the target holds without their order: one of an order gone everywhere (as after a cascade the
            // copy did not see), one of tenant 2's order, which is on the source (another copy in progress), and
            // one the source holds too, as parentless as here (no tenant's: the application's own).
            execute(f.targetUrl, "INSERT INTO order_items VALUES (999999, 1, 5), (" + elsewhere + ", 9, 7), (888888, 1, 3)");
            execute(f.sourceUrl, "INSERT INTO order_items VALUES (888888, 1, 3)");

            try (TenantStream stream = TenantStream.start(f.setup("1", false), capture, noted)) {
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                List<String> left = List.of(elsewhere + ":9", "888888:1");
                while (!orphans(f).equals(left) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(orphans(f)).as("items without an order on the target after the sweep; %s", stream.status())
                        .containsExactlyElementsOf(left);
            }
        }
    }

    @Test
    void reverseStream_deletesNoParentlessRowOfTheOldSite_bySweepOrByAChangeThatMarksIt(SchemaPair pair) throws Exception {
        try (StreamFixture f = StreamIT.fixture(pair); BinlogTailer capture = f.capture()) {
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            execute(f.targetUrl, "INSERT INTO order_items VALUES (999999, 1, 5)");
            try (TenantStream stream = TenantStream.start(f.setup("1", true), capture, noted)) {
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                // An order of the tenant's with that id, created and deleted in one transaction (so it never reaches
                // the old site): its deletion marks the old site's items of order 999999, found gone from the source.
                // The parentless one there is not the tenant's. Applied after catching up, when a forward stream
                // would have swept (the test above).
                String customer = StreamFixture.rows(f.source, "SELECT MIN(id) FROM customers WHERE tenant_id = 1").get(0);
                execute(f.sourceUrl, "BEGIN", "INSERT INTO orders VALUES (999999, 1, " + customer + ", 'short-lived')",
                        "DELETE FROM orders WHERE id = 999999", "COMMIT");
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                Thread.sleep(500);
                assertThat(StreamFixture.rows(f.target, "SELECT COUNT(*) FROM orders WHERE id = 999999"))
                        .as("the order came and went").containsExactly("0");
                assertThat(orphans(f)).as("the old site's parentless item; %s", stream.status())
                        .containsExactly("999999:1");
            }
        }
    }

    /** Runs the statements in order on one session with foreign key checks off (the planted rows have no parent). */
    private static void execute(String url, String... sql) throws Exception {
        try (Connection c = StreamFixture.connect(url); Statement s = c.createStatement()) {
            s.execute("SET foreign_key_checks = 0");
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    private static List<String> orphans(StreamFixture f) throws Exception {
        return StreamFixture.rows(f.target, "SELECT CONCAT(i.order_id, ':', i.line) FROM order_items i"
                + " WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id) ORDER BY i.order_id, i.line");
    }
}
