package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.router.config.FreezeConfig;
import java.time.Duration;

/**
 * The limit that ties the router to the plan: a router gives up holding a request after
 * {@code router.freeze.max-hold}, and a freeze may last up to {@code plan.freeze.max} plus the drain and the
 * switch, so the hold must exceed it with a margin (half the freeze budget, at least 2 s), or held requests would
 * fail exactly when a freeze runs long. One check, used by {@link ControllerProcess} and the app's whole-file
 * validation.
 */
public final class HoldMarginCheck {
    static final String HOLD = "router.freeze.max-hold";
    static final String FREEZE = "plan.freeze.max";
    private static final Duration MIN_MARGIN = Duration.ofSeconds(2);

    private HoldMarginCheck() {
    }

    /** The margin a hold needs above a freeze budget: half of it, at least 2 s. */
    public static Duration margin(Duration freezeMax) {
        Duration half = freezeMax.dividedBy(2);
        return half.compareTo(MIN_MARGIN) < 0 ? MIN_MARGIN : half;
    }

    /**
     * Records a problem at {@code router.freeze.max-hold} when it is below {@code freezeMax} plus the margin. Says
     * nothing when either value already has a problem (its default stands in for it, and one line per mistake is
     * enough).
     */
    public static void check(ConfigNode root, Duration freezeMax) {
        for (ConfigProblem p : root.problems().list()) {
            if (p.path().equals(HOLD) || p.path().equals(FREEZE)) {
                return;
            }
        }
        ConfigNode holdNode = root.get("router").get("freeze").get("max-hold");
        Duration hold = holdNode.duration(FreezeConfig.DEFAULTS.maxHold(), Duration.ofMillis(1));
        Duration margin = margin(freezeMax);
        Duration needed = freezeMax.plus(margin);
        if (hold.compareTo(needed) < 0) {
            holdNode.problem(DurationText.format(hold), "at least " + DurationText.format(needed) + ": "
                    + FREEZE + " (" + DurationText.format(freezeMax) + ") plus a margin of "
                    + DurationText.format(margin) + ", so routers never give up a request the freeze still holds");
        }
    }
}
