package dev.hikkoshi.cutover.control;

import static dev.hikkoshi.core.config.ConfigCatalog.literal;

import dev.hikkoshi.core.config.ConfigCatalog;
import dev.hikkoshi.cutover.hook.HooksConfig;
import dev.hikkoshi.cutover.move.MoveSettings;
import dev.hikkoshi.cutover.plan.Gate;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig;
import java.util.List;

/**
 * The documented keys the controller binds: {@code controller.admin} ({@link ControllerAdminConfig}) and the
 * {@code plan} section ({@link PlanSection}: waves, freeze budget, rollback line, hooks). Rendered into
 * docs/config.md by the app's generator; defaults come from the binders' own constants.
 */
public final class PlanConfigKeys {
    private PlanConfigKeys() {
    }

    /**
     * {@code controller}, {@code plan}, {@code plan.start-window} and {@code plan.rollback-line}/{@code plan.hooks},
     * in the reference's order.
     */
    public static List<ConfigCatalog> catalogs() {
        return List.of(controller(), plan(), startWindow(), rollbackLineAndHooks());
    }

    private static ConfigCatalog controller() {
        return ConfigCatalog.of("controller", "controller")
                .intro("Read by `hikkoshi controller` and `hikkoshi run` (with the secrets), and by the operating"
                        + " commands `status`,\n`apply`, `pause`, `resume`, `rollback`, `finalize`, `approve` (which"
                        + " need only their own token's variable).\ndocs/controller.md describes the admin API and"
                        + " its audit log.")
                .key("admin.listen", literal(ControllerAdminConfig.DEFAULT_LISTEN), "the controller's admin API"
                        + " listener; loopback unless you bind it elsewhere. The operating commands connect here (a"
                        + " wildcard address through loopback) unless given `--controller URL`")
                .key("admin.tokens", "required", "map of token name to `{env: VARIABLE}`; at least one. The name is"
                        + " the actor in the audit log (`STATE_DIR/audit.jsonl`)")
                .key("admin.tokens.NAME.env", "required", "the variable holding the token's secret: set and not"
                        + " empty for the controller, no two tokens with one secret")
                .build();
    }

    private static ConfigCatalog plan() {
        return ConfigCatalog.of("plan (waves)", "plan")
                .intro("Which tenants move, in which order (read by the controller; the rest of `plan` is described"
                        + " with its parts).")
                .key("parallel-moves", "`1`", "moves run at once within a wave (1 to 64); waves run one after"
                        + " another")
                .key("waves", "required", "the waves, in order; at least one")
                .key("waves[].name", "required", "the wave's name, unique (`hikkoshi approve WAVE` names it)")
                .key("waves[].tenants", "required", "a list of tenant names, `\"N%\"` (1 to 100) or `\"*\"`")
                .key("waves[].gate", literal(Gate.AUTO), "when this wave may start: `auto` (once every move of the"
                        + " waves before it is past its bake) or `approval` (also waits for `hikkoshi approve WAVE`)."
                        + " `hikkoshi plan` writes it into the plan file")
                .key("after-rollback", literal(AfterRollback.PAUSE), "when a tenant is rolled back (by its rollback"
                        + " line or by hand) it is set aside for the rest of the plan; `pause`: the plan pauses so an"
                        + " operator looks before anything else moves; `continue`: the other tenants go on (the"
                        + " rollback is still an event and an alert)")
                .key("retention", "none", "how long a move stays DONE (its reverse sync running, a rollback still"
                        + " possible) before the controller finalizes it by itself, such as `7d` (durations take `d` for"
                        + " days as well as `ms`, `s`, `m`, `h`); at least `1s`. Without it, moves stay DONE until"
                        + " `hikkoshi finalize` (docs/controller.md)")
                .key("freeze.max", literal(MoveSettings.DEFAULT_FREEZE_MAX), "the freeze budget: a move enters"
                        + " FROZEN only when its estimated final sync fits (at least 100ms);"
                        + " `router.freeze.max-hold` must exceed it by half of it, at least 2s")
                .notes("""
                        Tenants named in any wave are set aside first; then, wave by wave, `"N%"` takes N percent of \
                        the tenants not
                        yet placed, **rounded up** (`"50%"` of 7 is 4, and a percentage of a non-empty remainder is \
                        never 0), in the
                        tenant directory's order (by name), and `"*"` takes all that remain (no wave may follow it). \
                        A name the tenant
                        directory does not know is a problem of the config (`plan.waves[0].tenants[1]: acmee \
                        (expected: ...)`): with
                        `tenants.list` it is checked with the rest of the file; with `tenants.from-table`, when the \
                        plan is made.""")
                .build();
    }

    private static ConfigCatalog startWindow() {
        return ConfigCatalog.of("plan.start-window", "plan")
                .intro("When the controller may **start** moves (PLANNED -> COPYING). Read by the controller"
                        + " (`cutover.control.StartWindow`).\nAbsent: at any time.")
                .key("start-window.from", "required", "time of day the window opens, `HH:MM` (`\"22:00\"`); inside"
                        + " the window")
                .key("start-window.to", "required", "time of day it closes, `HH:MM`; not inside it. Before `from`"
                        + " means the window crosses midnight (`from: \"22:00\", to: \"04:00\"`); equal to `from` is"
                        + " a problem")
                .key("start-window.zone", "required", "the time zone both times are in, such as `Asia/Tokyo` or"
                        + " `UTC`")
                .notes("""
                        Moves already started go on outside the window (a move stopped half-way holds more risk than \
                        one finishing
                        late); a retried attempt waits for the window like a first one. `hikkoshi status` says why \
                        nothing starts:
                        `plan: outside the start window 22:00-04:00 Asia/Tokyo: no move starts until 22:00; moves \
                        already started go on`.""")
                .build();
    }

    private static ConfigCatalog rollbackLineAndHooks() {
        return ConfigCatalog.of("plan.rollback-line and plan.hooks", "plan")
                .intro("Read by the controller (module `cutover`). The rollback line is fixed before a move;"
                        + " `error-rate` and `p99` are\nrequired.")
                .key("rollback-line.error-rate", "required", "absolute 5xx rate a bake window may reach, such as"
                        + " `2%`")
                .key("rollback-line.relative", "`" + (int) RollbackLineConfig.DEFAULT_RELATIVE + "x`", "multiple of"
                        + " the tenant's own baseline (its 5xx rate and p99 on the old site before the move); a"
                        + " window is bad above max(absolute, multiple). The baseline is the tenant's last `window` on"
                        + " its old site as its move starts; one with fewer than `min-requests` requests is not used (a"
                        + " notice says the absolute thresholds alone apply)")
                .key("rollback-line.p99", "required", "absolute p99 latency a window may reach (interpolated in the"
                        + " routers' merged latency buckets)")
                .key("rollback-line.window", literal(RollbackLineConfig.DEFAULT_WINDOW), "length of one evaluation"
                        + " window, at least 1s; a multiple of `router.traffic-bucket` (checked across sections)")
                .key("rollback-line.min-requests", literal(RollbackLineConfig.DEFAULT_MIN_REQUESTS), "a window with"
                        + " fewer requests (or a router that did not answer) is inconclusive, never healthy")
                .key("rollback-line.bake", literal(RollbackLineConfig.DEFAULT_BAKE), "healthy time needed (in whole"
                        + " windows) before the move is DONE; at least `window`")
                .key("rollback-line.inconclusive.max-extensions", literal(RollbackLineConfig.DEFAULT_MAX_EXTENSIONS),
                        "inconclusive windows that may extend the bake (each raises a notice)")
                .key("rollback-line.inconclusive.then",
                        literal(RollbackLineConfig.InconclusiveAction.WAIT_FOR_APPROVAL), "after that:"
                                + " `wait-for-approval` (`hikkoshi approve WAVE`) or `fail`")
                .key("hooks.before-freeze.command", "none", "runs before the freeze; a failing or timed-out"
                        + " `before-freeze` hook aborts the move")
                .key("hooks.before-freeze.timeout", literal(HooksConfig.DEFAULT_TIMEOUT), "the hook and everything"
                        + " it started are killed after this (at least 100ms)")
                .key("hooks.after-switch.command", "none", "runs after the switch, beside the bake (a failure is a"
                        + " notice)")
                .key("hooks.after-switch.timeout", literal(HooksConfig.DEFAULT_TIMEOUT), "killed after this, as"
                        + " `before-freeze`")
                .key("hooks.after-rollback.command", "none", "runs after a rollback (a failure is a notice)")
                .key("hooks.after-rollback.timeout", literal(HooksConfig.DEFAULT_TIMEOUT), "killed after this, as"
                        + " `before-freeze`")
                .notes("""
                        A hook's `command` given as text runs with `/bin/sh -c`, a list runs as given; its \
                        environment has `HIKKOSHI_TENANT`,
                        `HIKKOSHI_TENANT_ID`, `HIKKOSHI_FROM_SITE`, `HIKKOSHI_TO_SITE`, `HIKKOSHI_HOOK`; its output \
                        goes to the log.

                        Two consecutive bad windows roll the tenant back; an inconclusive window between two bad \
                        ones neither clears
                        nor adds to the streak.""")
                .build();
    }
}
