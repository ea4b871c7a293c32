package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tenant's stream over a real row binlog, read by the production {@link BinlogTailer}, while a writer changes every tenant's rows during the copy and
 * during streaming: after catch-up the target holds exactly the source's rows of that tenant (read in full on
 * both sides with plain SQL), and a stream that stops applying shows rising lag.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class StreamIT {
    @Test
    void writerDuringCopyAndStreaming_afterCatchUp_targetHoldsExactlyTheTenantsRows(SchemaPair pair) throws Exception {
        try (StreamFixture f = fixture(pair); BinlogTailer capture = f.capture()) {
            ShopWriter writer = new ShopWriter(f.sourceUrl, 7);
            writer.start();
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            StreamRegistry registry = new StreamRegistry();
            try (TenantStream stream = TenantStream.start(f.setup("1", false), capture, noted)) {
                registry.add(stream);
                Thread.sleep(3_000);
                int writes = writer.stop();
                assertThat(writes).isGreaterThan(100);
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).as("caught up; %s", stream.status()).isTrue();

                assertThat(f.targetRows()).containsExactlyElementsOf(f.sourceRows("1"));
                StreamStatus status = registry.streams().get(0);
                assertThat(status.state()).isEqualTo(StreamState.STREAMING);
                assertThat(status.mode()).isEqualTo("binlog");
                assertThat(status.appliedChanges()).isPositive();
                assertThat(status.dirtyRows()).isPositive();
                assertThat(status.problem()).isEmpty();
            }
        }
    }

    @Test
    void streamThatStopsApplying_whileTheSourceChanges_showsRisingLag(SchemaPair pair) throws Exception {
        try (StreamFixture f = fixture(pair); BinlogTailer capture = f.capture()) {
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            try (TenantStream stream = TenantStream.start(f.setup("1", false), capture, noted)) {
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
                assertThat(stream.lagSeconds()).isLessThan(3.0);
                stream.pause();
                ShopWriter writer = new ShopWriter(f.sourceUrl, 11);
                writer.start();
                Thread.sleep(2_500);
                double first = stream.status().lagSeconds();
                Thread.sleep(2_000);
                double second = stream.status().lagSeconds();
                writer.stop();
                assertThat(first).isGreaterThanOrEqualTo(1.0); // binlog times have whole seconds
                assertThat(second).isGreaterThan(first + 1.0);
                assertThat(stream.status().lagEvents()).isPositive();

                stream.resume();
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(stream.lagSeconds()).isLessThan(3.0);
                assertThat(f.targetRows()).containsExactlyElementsOf(f.sourceRows("1"));
            }
        }
    }

    /**
     * The final sync's contract, checked where a drain that proves itself by time or by a beat could go wrong: an
     * order with its items committed just before the call, while another writer keeps every tenant's rows (this
     * one's included) changing, so that the stream's batches mix transactions; each return must find that order
     * and exactly its items on the target.
     */
    @Test
    void awaitCaughtUp_rightAfterACommit_targetHoldsTheCommittedOrderAndItsItems(SchemaPair pair) throws Exception {
        try (StreamFixture f = fixture(pair); BinlogTailer capture = f.capture()) {
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            ShopWriter writer = new ShopWriter(f.sourceUrl, 13);
            writer.start();
            try (TenantStream stream = TenantStream.start(f.setup("1", false), capture, noted);
                 java.sql.Connection c = StreamFixture.connect(f.sourceUrl);
                 java.sql.Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                // A customer and orders no other writer touches: ShopWriter deletes and moves customers 1 to 60 only.
                s.execute("INSERT INTO customers VALUES (50000, 1, 'drain check')");
                c.commit();
                for (int i = 0; i < 30; i++) {
                    int order = 900_000 + i;
                    int items = 1 + i % 4;
                    s.execute("INSERT INTO orders VALUES (" + order + ", 1, 50000, 'drain " + i + "')");
                    for (int line = 1; line <= items; line++) {
                        s.execute("INSERT INTO order_items VALUES (" + order + ", " + line + ", " + (i + line) + ")");
                    }
                    c.commit();
                    assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).as("%s", stream.status()).isTrue();
                    assertThat(StreamFixture.rows(f.target, "SELECT 'o', id, tenant_id FROM orders WHERE id = " + order))
                            .as("order %d on the target after the drain", order).containsExactly("o|" + order + "|1");
                    assertThat(StreamFixture.count(f.target, "SELECT COUNT(*) FROM order_items WHERE order_id = " + order))
                            .as("items of order %d on the target after the drain", order).isEqualTo(items);
                }
                writer.stop();
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).as("%s", stream.status()).isTrue();
                assertThat(f.targetRows()).containsExactlyElementsOf(f.sourceRows("1"));
            } finally {
                writer.stop();
            }
        }
    }

    static StreamFixture fixture(SchemaPair pair) throws Exception {
        pair.source().execute(StreamFixture.DDL);
        pair.target().execute(StreamFixture.DDL);
        StreamFixture f = new StreamFixture(pair.source().server().jdbcUrl(""), pair.target().server().jdbcUrl(""),
                pair.name());
        ShopWriter.fill(f);
        return f;
    }
}
