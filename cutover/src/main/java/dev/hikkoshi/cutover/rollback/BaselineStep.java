package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.cutover.move.MoveAttempt;
import dev.hikkoshi.cutover.move.MoveStep;
import dev.hikkoshi.cutover.move.NoteKeys;
import dev.hikkoshi.cutover.move.StepOutcome;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLANNED step with the rollback line's baseline added: before the move's own PLANNED work (which sends it to
 * COPYING), it reads the tenant's traffic on its old site over the last evaluation window, merged across every
 * router, and hands it to the transition as the {@link NoteKeys#BASELINE} note, so it is journaled with the
 * attempt and {@link BakeStep} judges the new site against it. The controller wraps the move steps' PLANNED step
 * with it.
 *
 * <p>Why here: the tenant has not left yet (every request of the last window was served by the old site, and no
 * copy load has touched it), and reading a window costs one call per router, outside any freeze. A controller
 * that crashes before COPYING is journaled measures again on resume; after that the journaled note stands.
 *
 * <p>A baseline is only as good as its traffic: with fewer than {@code min-requests} requests it is journaled but
 * not used ({@link Baseline#usable}), and when a router cannot be read none is noted (a baseline missing one
 * router's slow tail would lift the limits blindly). Either way the move is judged by the absolute thresholds
 * alone, and a warning notice says so.
 */
public final class BaselineStep implements MoveStep {
    private static final Logger log = LoggerFactory.getLogger(BaselineStep.class);

    private final MoveStep planned;
    private final RollbackLineConfig line;
    private final List<TrafficWindow> routers;
    private final Consumer<MoveEvent> events;
    private final Clock clock;

    /**
     * @param planned the move steps' PLANNED step
     * @param routers every router's traffic window (in process, or {@code HttpTrafficWindow} per router)
     * @param events  where the notices go (the move board)
     */
    public BaselineStep(MoveStep planned, RollbackLineConfig line, List<? extends TrafficWindow> routers,
                        Consumer<MoveEvent> events, Clock clock) {
        this.planned = Objects.requireNonNull(planned, "planned");
        if (planned.state() != MoveState.PLANNED) {
            throw new IllegalArgumentException("a baseline is measured when a move leaves PLANNED, not "
                    + planned.state());
        }
        this.line = Objects.requireNonNull(line, "line");
        this.routers = List.copyOf(routers);
        if (this.routers.isEmpty()) {
            throw new IllegalArgumentException("a baseline needs at least one router's traffic window");
        }
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public MoveState state() {
        return MoveState.PLANNED;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) throws Exception {
        TrafficReading reading = TrafficReading.read(routers, new TrafficKey(attempt.tenant().value(), attempt.from()),
                line.window());
        StepOutcome outcome = planned.run(attempt);
        if (outcome.next() != MoveState.COPYING) {
            return outcome;
        }
        String over = " over " + DurationText.format(line.window());
        String absolute = ": the rollback line judges " + attempt.tenant() + " by its absolute thresholds only (5xx "
                + TrafficReading.percent(line.errorRate()) + ", p99 " + TrafficReading.millis(line.p99()) + ")";
        if (!reading.unanswered().isEmpty()) {
            notice(attempt, MoveEvent.Severity.WARNING, "no baseline of " + attempt.tenant() + " on " + attempt.from()
                    + ": not every router answered (" + String.join("; ", reading.unanswered()) + ")" + absolute);
            return outcome;
        }
        Baseline baseline = new Baseline(reading.requests(), reading.serverErrors(), reading.p99());
        String measured = "baseline of " + attempt.tenant() + " on " + attempt.from() + over + ": "
                + baseline.describe();
        if (baseline.usable(line.minRequests())) {
            notice(attempt, MoveEvent.Severity.INFO, measured + " (a window on " + attempt.to() + " may reach "
                    + WindowJudge.multiple(line.relative()) + " of it where that exceeds the absolute thresholds)");
        } else {
            notice(attempt, MoveEvent.Severity.WARNING, measured + ", fewer than min-requests " + line.minRequests()
                    + absolute);
        }
        Map<String, String> notes = new HashMap<>(outcome.notes());
        notes.put(NoteKeys.BASELINE, baseline.toNote());
        return StepOutcome.go(outcome.next(), outcome.reason() + "; " + measured, notes);
    }

    private void notice(MoveAttempt attempt, MoveEvent.Severity severity, String text) {
        if (severity == MoveEvent.Severity.INFO) {
            log.info("{}", text);
        } else {
            log.warn("{}", text);
        }
        events.accept(new MoveEvent.Notice(attempt.tenant(), severity, text, clock.instant()));
    }
}
