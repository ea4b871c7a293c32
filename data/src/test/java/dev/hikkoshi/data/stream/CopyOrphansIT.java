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
 * A stream that has caught up after starting deletes the join-path rows the copy left on the target whose parent
 * is on neither side (no change will ever mark them), and leaves those whose parent is still on the source.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class CopyOrphansIT {
    @Test
    void caughtUpStream_deletesTargetChildrenWhoseParentIsOnNeitherSide_keepsThoseWhoseParentIsOnTheSource(SchemaPair pair)
            throws Exception {
        try (StreamFixture f = StreamIT.fixture(pair); BinlogTailer capture = f.capture()) {
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            String elsewhere = StreamFixture.rows(f.source, "SELECT MIN(id) FROM orders WHERE tenant_id = 2").get(0);
            assertThat(StreamFixture.rows(f.target, "SELECT COUNT(*) FROM orders WHERE id = " + elsewhere))
                    .as("tenant 2 was not copied").containsExactly("0");
            // Items the target holds without their order: one of an order gone everywhere (as after a cascade the
            // copy did not see), one of tenant 2's order, which is on the source (another copy in progress).
            try (Connection c = StreamFixture.connect(f.targetUrl); Statement s = c.createStatement()) {
                s.execute("SET foreign_key_checks = 0");
                s.execute("INSERT INTO order_items VALUES (999999, 1, 5), (" + elsewhere + ", 9, 7)");
            }

            try (TenantStream stream = TenantStream.start(f.setup("1", false), capture, noted)) {
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!orphans(f).equals(List.of(elsewhere + ":9")) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(orphans(f)).as("items without an order on the target after the sweep; %s", stream.status())
                        .containsExactly(elsewhere + ":9");
            }
        }
    }

    private static List<String> orphans(StreamFixture f) throws Exception {
        return StreamFixture.rows(f.target, "SELECT CONCAT(i.order_id, ':', i.line) FROM order_items i"
                + " WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id) ORDER BY i.order_id, i.line");
    }
}
