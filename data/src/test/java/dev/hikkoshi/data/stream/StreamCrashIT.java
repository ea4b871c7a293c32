package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream killed with SIGKILL (a child JVM, {@link StreamChild}) at seeded moments while the writer keeps
 * changing the source, then restarted from its checkpoint, ends with the target holding exactly the source's
 * rows of the tenant.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(180)
class StreamCrashIT {
    @Test
    void streamKilledAndRestartedFromItsCheckpoint_reachesTheSameResult(SchemaPair pair) throws Exception {
        try (StreamFixture f = StreamIT.fixture(pair)) {
            killedAndRestarted(pair, f, false);
        }
    }

    /** The same over the trigger capture: its change-log position is checkpointed, and rows are purged only past it. */
    @Test
    void triggerStreamKilledAndRestartedFromItsCheckpoint_reachesTheSameResult(SchemaPair pair) throws Exception {
        try (StreamFixture f = StreamIT.fixture(pair)) {
            try {
                killedAndRestarted(pair, f, true);
            } finally {
                try (dev.hikkoshi.data.trigger.TriggerCapture t = f.triggerCapture()) {
                    t.uninstall();
                }
            }
        }
    }

    /**
     * The kill lands inside a batch: a row lock held on the target stops the child's batched writes part way (some
     * of the batch's rows written, none committed), the child is killed there, and its checkpoint still names the
     * position before the batch; restarted from it, the stream applies the whole batch again and ends equal.
     */
    /** The child's UPDATE of customer 60, still running (it waits for the row lock the test holds). */
    private static final String WAITING_ON_60 = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE command = 'Query'"
            + " AND info LIKE 'UPDATE %customers%' AND info LIKE '%`r`.`id` = 60%'";

    @Test
    void streamKilledInsideABatch_restartsFromTheCheckpointBeforeIt_andReplaysTheBatch(SchemaPair pair) throws Exception {
        try (StreamFixture f = StreamIT.fixture(pair)) {
            CapturePosition noted;
            try (BinlogTailer capture = f.capture()) {
                noted = capture.currentPosition();
            }
            f.copy("1");
            Process child = start(pair, f, noted, "run");
            String started = awaitLine(child, "STREAM-STARTED");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (("STREAM-STARTED " + f.checkpoint("1").orElse("")).equals(started) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            try (java.sql.Connection lock = StreamFixture.connect(f.targetUrl);
                 java.sql.Statement s = lock.createStatement()) {
                lock.setAutoCommit(false);
                // Customer 60 is the tenant's last in key order: the rows before it are written when the batch waits.
                s.executeQuery("SELECT * FROM customers WHERE id = 60 FOR UPDATE").close();
                try (java.sql.Connection c = StreamFixture.connect(f.sourceUrl); java.sql.Statement w = c.createStatement()) {
                    w.execute("UPDATE customers SET name = CONCAT(name, ' in the batch') WHERE tenant_id = 1");
                    w.execute("INSERT INTO customers VALUES (9003, 1, 'inserted after')");
                }
                long waitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (StreamFixture.count(f.target, WAITING_ON_60) == 0 && System.nanoTime() < waitDeadline) {
                    Thread.sleep(20);
                }
                assertThat(StreamFixture.count(f.target, WAITING_ON_60)).as("the child's batch waits on the row lock: %s; child: %s",
                        StreamFixture.rows(f.target, "SELECT id, command, state, info FROM information_schema.PROCESSLIST"),
                        Files.readAllLines(outputs.get(child))).isPositive();
                String atKill = f.checkpoint("1").orElseThrow();
                child.destroyForcibly(); // SIGKILL on Linux, with the batch's writes uncommitted
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                lock.rollback();

                assertThat(f.checkpoint("1")).hasValue(atKill);
                assertThat(f.targetRows()).noneMatch(r -> r.contains("in the batch"));
            }
            Process last = start(pair, f, noted, "catch-up");
            assertThat(awaitLine(last, "STREAM-STARTED")).isNotEqualTo(started);
            assertThat(awaitLine(last, "CAUGHT-UP")).startsWith("CAUGHT-UP ");
            assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(f.targetRows()).containsExactlyElementsOf(f.sourceRows("1"));
            assertThat(f.targetRows()).contains("c|60|1|c60 ✓ in the batch", "c|9003|1|inserted after");
        }
    }

    private static void killedAndRestarted(SchemaPair pair, StreamFixture f, boolean triggers) throws Exception {
        CapturePosition noted;
        if (triggers) {
            try (dev.hikkoshi.data.trigger.TriggerCapture capture = f.triggerCapture()) {
                capture.install(); // before the writer: every change of the run is in the change log
            }
        }
        ShopWriter writer = new ShopWriter(f.sourceUrl, 23);
        writer.start();
        if (triggers) {
            try (dev.hikkoshi.data.trigger.TriggerCapture capture = f.triggerCapture()) {
                noted = capture.currentPosition();
            }
        } else {
            try (BinlogTailer capture = f.capture()) {
                noted = capture.currentPosition();
            }
        }
        f.copy("1");
        Random random = new Random(5);
        List<String> positions = new ArrayList<>();
        for (int kill = 0; kill < 3; kill++) {
            Process child = start(pair, f, noted, "run", triggers);
            String started = awaitLine(child, "STREAM-STARTED");
            positions.add(started);
            // Kill it once it has committed at least one batch past where it started, at a seeded moment.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (("STREAM-STARTED " + f.checkpoint("1").orElse("")).equals(started) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(random.nextInt(400));
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        writer.stop();
        Process last = start(pair, f, noted, "catch-up", triggers);
        positions.add(awaitLine(last, "STREAM-STARTED"));
        String done = awaitLine(last, "CAUGHT-UP");
        assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // Each restart began from a later checkpoint than the noted position, not from the beginning.
        assertThat(positions.get(0)).isEqualTo("STREAM-STARTED " + noted.text());
        assertThat(positions.subList(1, positions.size())).allSatisfy(p -> assertThat(p).isNotEqualTo(positions.get(0)));
        assertThat(done).startsWith("CAUGHT-UP ");
        assertThat(f.targetRows()).containsExactlyElementsOf(f.sourceRows("1"));
    }

    private static Process start(SchemaPair pair, StreamFixture f, CapturePosition from, String mode) throws Exception {
        return start(pair, f, from, mode, false);
    }

    private static Process start(SchemaPair pair, StreamFixture f, CapturePosition from, String mode, boolean triggers)
            throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", StreamChild.class.getName(),
                pair.source().server().jdbcUrl(""), pair.target().server().jdbcUrl(""), f.schema, from.text(), mode,
                triggers ? "triggers" : "binlog");
        Path out = Files.createTempFile("stream-child", ".log");
        out.toFile().deleteOnExit();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        outputs.put(p, out);
        return p;
    }

    private static final Map<Process, Path> outputs = new ConcurrentHashMap<>();

    /** Polls the child's output file until a line starts with {@code prefix}; fails if the child exits first. */
    private static String awaitLine(Process child, String prefix) throws Exception {
        Path out = outputs.get(child);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            boolean exited = !child.isAlive();
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (exited) {
                throw new AssertionError("child exited before " + prefix + ":\n" + String.join("\n", lines));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + prefix + " within 90 s:\n" + String.join("\n", Files.readAllLines(out)));
    }
}
