package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.config.ConfigNode;

/**
 * {@code plan.after-rollback}: what the plan does when one of its tenants is rolled back, by its rollback line or
 * by hand. Either way the tenant is set aside for the rest of the plan (moving it again at once would only cross
 * the same line again; the next plan or {@code apply} tries it again); this says whether the other tenants go on.
 * Bound by {@link ControllerProcess}, read by {@link Controller}.
 */
public enum AfterRollback {
    /** The plan pauses, so an operator looks before anything else moves (the default: the new site may be at fault). */
    PAUSE,
    /** The plan goes on with its other tenants; the rollback is still an event and an alert. */
    CONTINUE;

    /** Binds {@code plan.after-rollback} ({@code pause} or {@code continue}, default {@code pause}). */
    public static AfterRollback bind(ConfigNode plan) {
        return plan.get("after-rollback").choice(AfterRollback.class, PAUSE);
    }
}
