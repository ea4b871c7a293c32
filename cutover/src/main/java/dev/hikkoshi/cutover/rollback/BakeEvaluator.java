package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.move.MoveEvent.Judgement;
import dev.hikkoshi.core.move.MoveEvent.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides a bake from its window verdicts: two consecutive bad windows roll the tenant back; an inconclusive
 * window extends the bake, and more than {@code max-extensions} of them make the move wait for approval (or
 * fail, by config); enough healthy windows to fill the bake time make it DONE.
 *
 * <p>The decision is a pure function of the journaled verdicts, so a controller that crashed rebuilds exactly
 * the state it had by replaying them: nothing else about a bake needs to be remembered. "Consecutive" is
 * counted over conclusive windows: an inconclusive window between two bad ones neither clears the streak (too
 * little traffic proves nothing) nor adds to it. A bad window does not count towards the bake time.
 */
public final class BakeEvaluator {
    private final RollbackLineConfig line;

    public BakeEvaluator(RollbackLineConfig line) {
        this.line = Objects.requireNonNull(line, "line");
    }

    /** Where a bake stands after its verdicts. */
    public enum Decision {
        /** Another window is needed. */
        CONTINUE,
        /** Two consecutive bad windows: roll back now. */
        ROLLBACK,
        /** Enough healthy windows: the move is DONE. */
        BAKED,
        /** Too many inconclusive windows: wait for {@code hikkoshi approve}. */
        AWAIT_APPROVAL,
        /** Too many inconclusive windows and {@code then: fail}. */
        FAIL
    }

    /**
     * The bake's state.
     *
     * @param windows the number of windows judged so far (the next one is {@code windows + 1})
     * @param reason  one line for the journal and operators: why this decision
     * @param last    the last verdict taken into account, if any
     */
    public record Progress(int windows, int healthy, int bad, int inconclusive, int badStreak, Decision decision,
                           String reason, Optional<Verdict> last) {
        public Progress {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(last, "last");
        }

        /** Whether a step must act (leave BAKING, or wait for approval) rather than judge another window. */
        public boolean settled() {
            return decision != Decision.CONTINUE;
        }
    }

    /**
     * Replays a bake's verdicts in window order (a verdict journaled twice for the same window counts once) and
     * stops at the first settled decision.
     */
    public Progress evaluate(List<Verdict> verdicts) {
        List<Verdict> ordered = new ArrayList<>(verdicts);
        ordered.sort(Comparator.comparingInt(Verdict::window));
        int windows = 0;
        int healthy = 0;
        int bad = 0;
        int inconclusive = 0;
        int badStreak = 0;
        int previousBadWindow = 0;
        Verdict last = null;
        int lastWindow = Integer.MIN_VALUE;
        int needed = line.healthyWindowsNeeded();
        for (Verdict v : ordered) {
            if (v.window() == lastWindow) {
                continue;
            }
            lastWindow = v.window();
            last = v;
            windows++;
            switch (v.judgement()) {
                case HEALTHY -> {
                    healthy++;
                    badStreak = 0;
                }
                case BAD -> {
                    bad++;
                    badStreak++;
                    if (badStreak >= 2) {
                        return new Progress(windows, healthy, bad, inconclusive, badStreak, Decision.ROLLBACK,
                                "rollback line crossed in two consecutive windows (" + previousBadWindow + " and "
                                        + v.window() + "): " + v.detail(), Optional.of(v));
                    }
                    previousBadWindow = v.window();
                }
                case INCONCLUSIVE -> inconclusive++;
            }
            if (inconclusive > line.maxExtensions()) {
                String why = "bake inconclusive in " + inconclusive + " windows, more than inconclusive.max-extensions "
                        + line.maxExtensions();
                return switch (line.then()) {
                    case WAIT_FOR_APPROVAL -> new Progress(windows, healthy, bad, inconclusive, badStreak,
                            Decision.AWAIT_APPROVAL, why + ": waiting for an operator's approval (hikkoshi approve)",
                            Optional.of(v));
                    case FAIL -> new Progress(windows, healthy, bad, inconclusive, badStreak, Decision.FAIL,
                            why + " (inconclusive.then: fail)", Optional.of(v));
                };
            }
            if (healthy >= needed) {
                return new Progress(windows, healthy, bad, inconclusive, badStreak, Decision.BAKED,
                        "baked: " + healthy + " healthy windows of " + DurationText.format(line.window()) + " ("
                                + bad + " bad, " + inconclusive + " inconclusive)", Optional.of(v));
            }
        }
        String reason = "baking: " + windows + " windows judged, " + healthy + " of " + needed + " healthy needed ("
                + bad + " bad, " + inconclusive + " inconclusive of at most " + line.maxExtensions() + ")";
        return new Progress(windows, healthy, bad, inconclusive, badStreak, Decision.CONTINUE, reason,
                Optional.ofNullable(last));
    }

    /** The notice raised when an inconclusive window extended the bake. */
    static String extensionNotice(Verdict inconclusive, Progress progress, int maxExtensions) {
        return "bake of " + inconclusive.tenant() + " extended (" + progress.inconclusive() + " of " + maxExtensions
                + "): window " + inconclusive.window() + ": " + inconclusive.detail();
    }
}
