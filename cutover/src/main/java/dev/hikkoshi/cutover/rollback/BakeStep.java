package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveEvent.Judgement;
import dev.hikkoshi.core.move.MoveEvent.Verdict;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.cutover.move.MoveAttempt;
import dev.hikkoshi.cutover.move.MoveStep;
import dev.hikkoshi.cutover.move.NoteKeys;
import dev.hikkoshi.cutover.move.StepOutcome;
import dev.hikkoshi.cutover.rollback.BakeEvaluator.Progress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The BAKING step: every time the runner calls it, it either says the current window is still running
 * ({@link StepOutcome#stay}), or judges the window that just ended (merged across every router's
 * {@link TrafficWindow}, for the tenant on its new site, against its baseline note), journals the verdict and
 * decides: {@code ROLLBACK_FROZEN} after two consecutive bad windows, {@code DONE} once baked (or approved),
 * {@code FAILED} when inconclusive too long with {@code then: fail}, otherwise stay.
 *
 * <p>Crash recovery: the step keeps nothing that matters in memory. Its state is {@link BakeEvaluator}'s replay
 * of the verdicts journaled for the attempt ({@link VerdictJournal#verdicts}); the next window ends one window
 * after the last verdict's time. A verdict journaled just before a crash is therefore acted on when the step
 * runs again (it may return the same transition twice; the runner journals only the first). The one thing kept
 * in memory is when the first window started: a controller that crashes before the first verdict starts that
 * window again, which costs up to one window of bake time and never judges a partial window.
 */
public final class BakeStep implements MoveStep {
    private static final Logger log = LoggerFactory.getLogger(BakeStep.class);

    private final RollbackLineConfig line;
    private final List<TrafficWindow> routers;
    private final VerdictJournal journal;
    private final BakeApproval approval;
    private final Consumer<MoveEvent> events;
    private final Clock clock;
    private final WindowJudge judge;
    private final BakeEvaluator evaluator;
    private final Map<String, Instant> firstWindowStart = new ConcurrentHashMap<>();

    /**
     * @param routers  every router's traffic window (in process, or {@code HttpTrafficWindow} per router)
     * @param journal  where verdicts go and come back from
     * @param approval whether an operator approved a move waiting after an inconclusive bake
     * @param events   where notices go (an extended bake, a move waiting for approval)
     */
    public BakeStep(RollbackLineConfig line, List<? extends TrafficWindow> routers, VerdictJournal journal,
                    BakeApproval approval, Consumer<MoveEvent> events, Clock clock) {
        this.line = Objects.requireNonNull(line, "line");
        this.routers = List.copyOf(routers);
        if (this.routers.isEmpty()) {
            throw new IllegalArgumentException("a bake needs at least one router's traffic window");
        }
        this.journal = Objects.requireNonNull(journal, "journal");
        this.approval = Objects.requireNonNull(approval, "approval");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.judge = new WindowJudge(line);
        this.evaluator = new BakeEvaluator(line);
    }

    @Override
    public MoveState state() {
        return MoveState.BAKING;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) {
        if (attempt.state() != MoveState.BAKING) {
            throw new IllegalStateException("bake step run for " + attempt.tenant() + " in " + attempt.state());
        }
        List<Verdict> verdicts = new ArrayList<>(journal.verdicts(attempt.tenant(), attempt.attempt()));
        Progress progress = evaluator.evaluate(verdicts);
        if (progress.settled()) {
            return act(attempt, progress);
        }
        Instant now = clock.instant();
        String key = attempt.tenant() + "#" + attempt.attempt();
        Instant start = progress.last().map(Verdict::at).orElseGet(() -> firstWindowStart.computeIfAbsent(key, k -> now));
        int window = progress.last().map(v -> v.window() + 1).orElse(1);
        Instant end = start.plus(line.window());
        if (now.isBefore(end)) {
            return StepOutcome.stay(MoveState.BAKING, "window " + window + " runs until " + end);
        }
        Verdict verdict = judgeWindow(attempt, window, now);
        journal.append(verdict);
        verdicts.add(verdict);
        progress = evaluator.evaluate(verdicts);
        if (verdict.judgement() == Judgement.INCONCLUSIVE && !progress.settled()) {
            events.accept(new MoveEvent.Notice(attempt.tenant(), MoveEvent.Severity.WARNING,
                    BakeEvaluator.extensionNotice(verdict, progress, line.maxExtensions()), now));
        }
        if (progress.decision() == BakeEvaluator.Decision.AWAIT_APPROVAL) {
            events.accept(new MoveEvent.Notice(attempt.tenant(), MoveEvent.Severity.WARNING,
                    progress.reason().replace("(hikkoshi approve)", "(hikkoshi approve " + attempt.wave() + ")"),
                    now));
        }
        if (progress.settled()) {
            firstWindowStart.remove(key);
            return act(attempt, progress);
        }
        return StepOutcome.stay(MoveState.BAKING, progress.reason());
    }

    private Verdict judgeWindow(MoveAttempt attempt, int window, Instant now) {
        TrafficReading reading = TrafficReading.read(routers, new TrafficKey(attempt.tenant().value(), attempt.to()),
                line.window());
        WindowJudge.Judged judged = judge.judge(reading, attempt.note(NoteKeys.BASELINE).map(Baseline::parseNote));
        MDC.put("tenant", attempt.tenant().value());
        MDC.put("phase", MoveState.BAKING.name());
        MDC.put("component", "rollback-line");
        try {
            log.info("window {} of {} on {}: {}", window, attempt.tenant(), attempt.to(), judged.detail());
        } finally {
            MDC.remove("component");
            MDC.remove("phase");
            MDC.remove("tenant");
        }
        return new Verdict(attempt.tenant(), attempt.attempt(), window, judged.judgement(), judged.detail(), now);
    }

    private StepOutcome act(MoveAttempt attempt, Progress progress) {
        return switch (progress.decision()) {
            case ROLLBACK -> StepOutcome.go(MoveState.ROLLBACK_FROZEN, progress.reason());
            case BAKED -> StepOutcome.go(MoveState.DONE, progress.reason());
            case FAIL -> StepOutcome.go(MoveState.FAILED, progress.reason());
            case AWAIT_APPROVAL -> approval.approved(attempt)
                    ? StepOutcome.go(MoveState.DONE, "approved by an operator after: " + progress.reason())
                    : StepOutcome.stay(MoveState.BAKING, progress.reason());
            case CONTINUE -> StepOutcome.stay(MoveState.BAKING, progress.reason());
        };
    }
}
