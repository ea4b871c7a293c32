package dev.hikkoshi.cutover.plan;

/**
 * When a {@link PlannedWave} itself may start (the controller's {@code WaveGate}): configured per wave as
 * {@code gate: auto|approval}; {@code hikkoshi approve WAVE} names the gated wave.
 */
public enum Gate {
    /** This wave starts once every move of the waves before it is past its bake (DONE, FAILED or rolled back). */
    AUTO,
    /** This wave also waits for an operator's {@code hikkoshi approve WAVE} naming it. */
    APPROVAL;

    /** The config and plan-file spelling: {@code auto} or {@code approval}. */
    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
