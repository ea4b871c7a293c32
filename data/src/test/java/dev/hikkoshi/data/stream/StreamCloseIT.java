package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Streams of one source server share its capture's thread: closing one whose queue is full (its applier far
 * behind, here paused) must not hold back the others.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class StreamCloseIT {
    @Test
    void closingAStreamWhoseQueueIsFull_leavesTheOtherStreamsOfItsSourceRunning(SchemaPair pair) throws Exception {
        try (StreamFixture f = StreamIT.fixture(pair); BinlogTailer capture = f.capture()) {
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            f.copy("2");
            StreamSettings oneQueued = new StreamSettings(50, 500, 1, Duration.ofMillis(250), Duration.ofSeconds(5));
            try (TenantStream other = TenantStream.start(f.setup("2", false), capture, noted)) {
                TenantStream full = TenantStream.start(f.setup("1", false, oneQueued), capture, noted);
                assertThat(full.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(other.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                full.pause();
                for (int i = 0; i < 4; i++) {
                    source(f, "UPDATE customers SET name = CONCAT(name, '+') WHERE id = 2");  // tenant 3's row
                }
                Thread.sleep(500); // the capture fills the paused stream's queue of one and waits on it
                full.close();

                source(f, "UPDATE customers SET name = 'after the close' WHERE tenant_id = 2 AND id = 1");
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!StreamFixture.rows(f.target, "SELECT name FROM customers WHERE id = 1").contains("after the close")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(StreamFixture.rows(f.target, "SELECT name FROM customers WHERE id = 1"))
                        .as("the other stream applied a change made after the close; %s", other.status())
                        .containsExactly("after the close");
            }
        }
    }

    private static void source(StreamFixture f, String sql) throws Exception {
        try (Connection c = StreamFixture.connect(f.sourceUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
