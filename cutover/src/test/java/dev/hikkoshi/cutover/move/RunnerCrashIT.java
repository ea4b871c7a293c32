package dev.hikkoshi.cutover.move;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A move's runner in a child JVM ({@link RunnerCrashChild}) killed with SIGKILL inside each state's step (right
 * after the transition into that state was journaled, before the state's work is done), and at seeded random
 * moments, then resumed from the journal: the journal ends with every transition of the happy path exactly once,
 * each state's step ran again after the kill in it, and resuming inside FINAL_SYNC re-froze first.
 */
@Timeout(180)
class RunnerCrashIT {
    private static final List<String> HAPPY = List.of("PLANNED>COPYING", "COPYING>SYNCED", "SYNCED>FROZEN",
            "FROZEN>FINAL_SYNC", "FINAL_SYNC>SWITCHED", "SWITCHED>BAKING", "BAKING>DONE");
    private static final List<String> STATES = List.of("PLANNED", "COPYING", "SYNCED", "FROZEN", "FINAL_SYNC",
            "SWITCHED", "BAKING");

    @TempDir
    Path dir;

    @Test
    void killedInsideEachState_thenResumed_journalsEachTransitionOnce_andRerunsTheKilledStep() throws Exception {
        Path effects = dir.resolve("effects.log");
        for (String state : STATES) {
            Process child = start(effects, state, 1);
            awaitLine(child, "CRASH-POINT-REACHED " + state);
            kill(child);
        }
        Process last = start(effects, "none", 1);
        awaitLine(last, "MOVE-ENDED DONE");
        assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(path()).isEqualTo(HAPPY);
        // Every step ran (its first call) in the child that was killed in it, and again in the next child.
        List<String> expected = new ArrayList<>();
        for (String state : STATES) {
            expected.add(state);
            if (state.equals("FINAL_SYNC")) {
                expected.add("refreeze FINAL_SYNC");
            }
            expected.add(state);
            expected.add(state);
            expected.add(state);
        }
        assertThat(Files.readAllLines(effects)).isEqualTo(expected);
    }

    @Test
    void killedAtSeededRandomMoments_thenResumed_endsDone_withoutSkippingOrRepeatingATransition() throws Exception {
        Random random = new Random(20261129);
        Path effects = dir.resolve("effects.log");
        List<Integer> reached = new ArrayList<>();
        for (int kill = 0; kill < 6 && path().size() < HAPPY.size(); kill++) {
            int before = path().size();
            Process child = start(effects, "none", 150);
            awaitLine(child, "RESUMING");
            // Kill only after this run journaled something, at a seeded moment after it: on a loaded machine a
            // fixed delay from start-up may land before the first transition every time and prove nothing.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (path().size() == before && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(random.nextInt(300));
            kill(child);
            List<String> soFar = path();
            assertThat(soFar).isEqualTo(HAPPY.subList(0, soFar.size()));
            reached.add(soFar.size());
        }
        System.out.println("transitions journaled at each kill: " + reached);
        Process last = start(effects, "none", 150);
        awaitLine(last, "MOVE-ENDED DONE");
        assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(path()).isEqualTo(HAPPY);
        assertThat(reached).as("the kills interrupted the move").anyMatch(n -> n > 0 && n < HAPPY.size());
    }

    private List<String> path() {
        Path copy = dir.resolve("copy.journal");
        try {
            Files.copy(dir.resolve("state").resolve("moves.journal"), copy,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Journal j = Journal.open(copy)) {
            return j.replayed().stream().map(JournalEntry.Transition.class::cast).map(t -> t.from() + ">" + t.to())
                    .toList();
        }
    }

    private Process start(Path effects, String crashIn, long stayMillis) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                RunnerCrashChild.class.getName(), dir.resolve("state").toString(), effects.toString(), crashIn,
                Long.toString(stayMillis)).redirectErrorStream(true).start();
    }

    private static void kill(Process child) throws InterruptedException {
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    /** Reads the child's output until a line starts with {@code prefix}; fails if the child exits first. */
    private static void awaitLine(Process child, String prefix) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            lines.add(line);
            if (line.startsWith(prefix)) {
                return;
            }
        }
        throw new AssertionError("child exited before " + prefix + ":\n" + String.join("\n", lines));
    }
}
