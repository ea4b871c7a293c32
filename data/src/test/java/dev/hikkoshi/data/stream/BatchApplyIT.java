package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.stream.StreamState;
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
 * A stream applies many source transactions in one target transaction (batched writes through
 * {@code KeySync}): a paused stream's backlog of transactions that insert, update and delete the same keys, move
 * rows between tenants and change children, applied at once, leaves exactly the source's rows of the tenant; a
 * secondary unique-key conflict inside such a batch fails the stream with the conflict's message and commits
 * nothing of the batch (neither its other rows nor its checkpoint).
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class BatchApplyIT {
    @Test
    void backlogAppliedAsOneBatch_withInsertUpdateDeleteOfTheSameKeys_leavesExactlyTheTenantsRows(SchemaPair pair)
            throws Exception {
        try (StreamFixture f = StreamIT.fixture(pair); BinlogTailer capture = f.capture()) {
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            try (TenantStream stream = TenantStream.start(f.setup("1", false), capture, noted)) {
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                stream.pause();
                source(f,
                        // One transaction: a key inserted, updated and deleted; another inserted and updated twice.
                        "BEGIN",
                        "INSERT INTO customers VALUES (9001, 1, 'gone again')",
                        "UPDATE customers SET name = 'gone again, renamed' WHERE id = 9001",
                        "DELETE FROM customers WHERE id = 9001",
                        "INSERT INTO customers VALUES (9002, 1, 'first')",
                        "UPDATE customers SET name = 'second' WHERE id = 9002",
                        "UPDATE customers SET name = 'third' WHERE id = 9002",
                        "COMMIT",
                        // Across transactions of the same batch: deleted, then inserted again with other values.
                        "DELETE FROM customers WHERE id = 9002",
                        "INSERT INTO customers VALUES (9002, 1, 'fourth')",
                        "UPDATE customers SET name = CONCAT(name, ' changed') WHERE tenant_id = 1 AND id <= 30",
                        // A row leaving the tenant and one entering it; a child's parent re-keyed (ON UPDATE CASCADE).
                        "UPDATE orders SET tenant_id = 2 WHERE id = 2",
                        "UPDATE orders SET tenant_id = 1 WHERE id = 3",
                        "UPDATE orders SET id = 5002 WHERE id = 5",
                        "BEGIN",
                        "INSERT INTO orders VALUES (5003, 1, 3, 'new order')",
                        "INSERT INTO order_items VALUES (5003, 1, 1), (5003, 2, 2)",
                        "UPDATE order_items SET qty = 30 WHERE order_id = 5003 AND line = 1",
                        "DELETE FROM order_items WHERE order_id = 5003 AND line = 2",
                        "COMMIT",
                        // A parent deleted with its children by ON DELETE CASCADE (the binlog carries only the parent).
                        "DELETE FROM customers WHERE id = 6");
                Thread.sleep(1_000); // the capture queues the backlog while the stream does not apply
                stream.resume();
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).as("caught up; %s", stream.status()).isTrue();

                assertThat(f.targetRows()).containsExactlyElementsOf(f.sourceRows("1"));
                assertThat(f.targetRows()).contains("c|9002|1|fourth").doesNotContain("c|9001|1|gone again");
                assertThat(stream.state()).isEqualTo(StreamState.STREAMING);
            }
        }
    }

    @Test
    void secondaryUniqueConflictInsideABatch_failsTheStreamWithItsMessage_andCommitsNothingOfTheBatch(SchemaPair pair)
            throws Exception {
        try (StreamFixture f = StreamIT.fixture(pair); BinlogTailer capture = f.capture()) {
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            target(f, "INSERT INTO customers VALUES (9999, 2, 'taken on the target')");
            try (TenantStream stream = TenantStream.start(f.setup("1", false), capture, noted)) {
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                stream.pause();
                Thread.sleep(300); // a batch begun before the pause commits first
                String before = f.checkpoint("1").orElseThrow();
                List<String> targetBefore = f.targetRows();
                source(f, "BEGIN",
                        "UPDATE customers SET name = CONCAT(name, ' batch') WHERE tenant_id = 1",
                        "UPDATE customers SET name = 'taken on the target' WHERE id = 30",
                        "COMMIT");
                Thread.sleep(1_000);
                stream.resume();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (stream.state() != StreamState.FAILED && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }

                assertThat(stream.state()).isEqualTo(StreamState.FAILED);
                assertThat(stream.status().problem()).hasValue("unique key conflict in table customers on sandbox target:"
                        + " the source row id=30 cannot be written because another target row has the same value of"
                        + " unique key uk_name");
                assertThat(f.targetRows()).containsExactlyElementsOf(targetBefore);
                assertThat(f.checkpoint("1")).hasValue(before);
            }
        }
    }

    private static void source(StreamFixture f, String... statements) throws Exception {
        run(f.sourceUrl, statements);
    }

    private static void target(StreamFixture f, String... statements) throws Exception {
        run(f.targetUrl, statements);
    }

    private static void run(String url, String... statements) throws Exception {
        try (Connection c = StreamFixture.connect(url); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
