package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.cutover.hook.HooksConfig;
import dev.hikkoshi.cutover.move.MoveSettings;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole {@code plan} section, bound in one place: its keys ({@code parallel-moves} and {@code waves},
 * {@code freeze.max}, {@code rollback-line}, {@code hooks}, {@code after-rollback}, {@code start-window}, {@code retention}) each by
 * its own binder, every problem recorded in the
 * document. Used by {@link ControllerProcess} and by the app's whole-file validation, so that a key added to
 * {@code plan} is accepted and checked by both at once.
 *
 * @param waves         {@code parallel-moves} and {@code waves}
 * @param afterRollback what the plan does when one of its tenants is rolled back
 * @param rollbackLine  the rollback line; empty when it has a problem (recorded)
 * @param hooks         the per-move hooks (none when absent)
 * @param move          the move steps' settings around {@code freeze.max}
 * @param startWindow   when moves may start; empty: at any time (or a problem, recorded)
 * @param retention     how long a DONE move keeps its reverse sync before it is finalized; empty: until an
 *                      operator finalizes it
 */
public record PlanSection(PlanSettings waves, AfterRollback afterRollback, Optional<RollbackLineConfig> rollbackLine,
                          HooksConfig hooks, MoveSettings move, Optional<StartWindow> startWindow,
                          Optional<Duration> retention) {
    /** Every key of {@code plan}. */
    static final String[] KEYS = {"parallel-moves", "waves", "freeze", "rollback-line", "hooks", "start-window",
            "after-rollback", "retention"};

    public PlanSection {
        Objects.requireNonNull(waves, "waves");
        Objects.requireNonNull(afterRollback, "afterRollback");
        Objects.requireNonNull(rollbackLine, "rollbackLine");
        Objects.requireNonNull(hooks, "hooks");
        Objects.requireNonNull(move, "move");
        Objects.requireNonNull(startWindow, "startWindow");
        Objects.requireNonNull(retention, "retention");
    }

    /** Binds {@code plan} of the config whose root is {@code root}; a missing section is a problem (no waves). */
    public static PlanSection bind(ConfigNode root) {
        ConfigNode plan = root.get("plan");
        plan.allowOnly(KEYS);
        plan.get("freeze").allowOnly("max");
        PlanSettings waves = PlanSettings.bind(plan);
        AfterRollback afterRollback = AfterRollback.bind(plan);
        Optional<RollbackLineConfig> line = RollbackLineConfig.bind(plan.get("rollback-line"));
        HooksConfig hooks = HooksConfig.bind(plan.get("hooks"));
        MoveSettings move = MoveSettings.bind(root);
        Optional<StartWindow> window = StartWindow.bind(plan.get("start-window"));
        Optional<Duration> retention = RetentionSweep.bind(plan);
        return new PlanSection(waves, afterRollback, line, hooks, move, window, retention);
    }
}
