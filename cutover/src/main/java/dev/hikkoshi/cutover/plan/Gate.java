package dev.hikkoshi.cutover.plan;

/** When the wave after a {@link PlannedWave} may start: configured per wave as {@code gate: auto|approval}. */
public enum Gate {
    /** The next wave starts once every move of this wave is past its bake (DONE or rolled back). */
    AUTO,
    /** The next wave waits, after this wave's bakes, for an operator's {@code hikkoshi approve WAVE}. */
    APPROVAL;

    /** The config and plan-file spelling: {@code auto} or {@code approval}. */
    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
