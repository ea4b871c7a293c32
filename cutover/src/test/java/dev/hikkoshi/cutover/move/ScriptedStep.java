package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A step for runner tests: does what its script says (a lambda per call) and records every call. It stands in
 * for the real steps because these tests are about the runner's state machine, not the data engine.
 */
public final class ScriptedStep implements MoveStep {
    /** One call's behaviour. */
    @FunctionalInterface
    public interface Script {
        StepOutcome run(MoveAttempt attempt, int call) throws Exception;
    }

    private final MoveState state;
    private final Script script;
    public final List<MoveAttempt> calls = new CopyOnWriteArrayList<>();

    public ScriptedStep(MoveState state, Script script) {
        this.state = state;
        this.script = script;
    }

    /** A step that goes straight to {@code next}. */
    public static ScriptedStep to(MoveState state, MoveState next) {
        return new ScriptedStep(state, (a, call) -> StepOutcome.go(next, state + " done"));
    }

    /** Steps for the happy path PLANNED ... BAKING -> DONE, and the abort and rollback lines. */
    public static List<MoveStep> happyPath() {
        List<MoveStep> steps = new ArrayList<>();
        steps.add(to(MoveState.PLANNED, MoveState.COPYING));
        steps.add(to(MoveState.COPYING, MoveState.SYNCED));
        steps.add(to(MoveState.SYNCED, MoveState.FROZEN));
        steps.add(to(MoveState.FROZEN, MoveState.FINAL_SYNC));
        steps.add(to(MoveState.FINAL_SYNC, MoveState.SWITCHED));
        steps.add(to(MoveState.SWITCHED, MoveState.BAKING));
        steps.add(to(MoveState.BAKING, MoveState.DONE));
        steps.add(to(MoveState.ABORTING, MoveState.PLANNED));
        steps.add(to(MoveState.ROLLBACK_FROZEN, MoveState.ROLLBACK_SYNC));
        steps.add(to(MoveState.ROLLBACK_SYNC, MoveState.ROLLED_BACK));
        steps.add(to(MoveState.ROLLED_BACK, MoveState.PLANNED));
        return steps;
    }

    /** {@link #happyPath()} with {@code replacement} in place of the step for its state. */
    public static List<MoveStep> happyPathWith(MoveStep... replacements) {
        List<MoveStep> steps = new ArrayList<>(happyPath());
        for (MoveStep r : replacements) {
            steps.removeIf(s -> s.state() == r.state());
            steps.add(r);
        }
        return steps;
    }

    @Override
    public MoveState state() {
        return state;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) throws Exception {
        calls.add(attempt);
        return script.run(attempt, calls.size());
    }
}
