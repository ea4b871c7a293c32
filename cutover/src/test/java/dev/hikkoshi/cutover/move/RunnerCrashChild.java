package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalReplay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link RunnerCrashIT}: replays the journal in {@code args[0]}, resumes acme's move with
 * scripted steps that log each call to {@code args[1]}, and, when {@code args[2]} names a state, stops inside
 * that state's step (right after the transition into it was journaled) and waits to be killed. Each step
 * stays twice for {@code args[3]} ms so that a kill at a random moment can land anywhere.
 */
public final class RunnerCrashChild {
    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        Path effects = Path.of(args[1]);
        MoveState crashIn = args[2].equals("none") ? null : MoveState.valueOf(args[2]);
        long stayMillis = Long.parseLong(args[3]);
        TenantId acme = TenantId.of("acme");
        try (Journal journal = Journal.openIn(stateDir)) {
            JournalReplay replay = JournalReplay.of(journal.file(), journal.replayed());
            MoveAttempt attempt = replay.move(acme).map(JournalReplay.ReplayedMove::attempt)
                    .orElse(new MoveAttempt(acme, "pilot", 1, SiteId.of("legacy"), SiteId.of("cloud"),
                            MoveState.PLANNED, Map.of()));
            List<MoveStep> steps = new ArrayList<>();
            for (MoveStep happy : ScriptedStep.happyPath()) {
                steps.add(new ScriptedStep(happy.state(), (a, call) -> {
                    log(effects, a.state().name());
                    if (a.state() == crashIn) {
                        System.out.println("CRASH-POINT-REACHED " + crashIn);
                        System.out.flush();
                        Thread.sleep(60_000);
                    }
                    if (call <= 2) {
                        Thread.sleep(stayMillis);
                        return StepOutcome.stay(a.state(), "not yet");
                    }
                    return happy.run(a);
                }));
            }
            MoveRunner runner = new MoveRunner(new MoveLog(journal, new MoveBoard(), Clock.systemUTC()), steps,
                    a -> log(effects, "refreeze " + a.state()), new MoveRequests(), Duration.ofMillis(1));
            System.out.println("RESUMING " + attempt.state());
            System.out.flush();
            MoveAttempt end = runner.run(attempt, true);
            System.out.println("MOVE-ENDED " + end.state());
        }
    }

    private static void log(Path effects, String line) throws IOException {
        Files.writeString(effects, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private RunnerCrashChild() {
    }
}
