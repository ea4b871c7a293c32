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
            killedAndRestarted(pair, f);
        }
    }

    private static void killedAndRestarted(SchemaPair pair, StreamFixture f) throws Exception {
        ShopWriter writer = new ShopWriter(f.sourceUrl, 23);
        writer.start();
        CapturePosition noted;
        try (BinlogTailer capture = f.capture()) {
            noted = capture.currentPosition();
        }
        f.copy("1");
        Random random = new Random(5);
        List<String> positions = new ArrayList<>();
        for (int kill = 0; kill < 3; kill++) {
            Process child = start(pair, f, noted, "run");
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
        Process last = start(pair, f, noted, "catch-up");
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
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", StreamChild.class.getName(),
                pair.source().server().jdbcUrl(""), pair.target().server().jdbcUrl(""), f.schema, from.text(), mode);
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
