package dev.hikkoshi.watch.alert;

/**
 * What a move is doing to a tenant, as far as alerting cares. Fed to the pipeline as a {@link PipelineInput.MoveFact}
 * (by the cutover engine once its MoveEvents exist; by the event file in replays and tests until then).
 */
public enum MoveHold {
    /** No move in a sensitive phase: the tenant's alerts flow normally. */
    NONE,
    /** Routers hold the tenant's requests: its own alerts are held until the freeze ends. */
    FROZEN,
    /** The tenant is on its new site under the rollback line: its alerts fire on the first firing evaluation. */
    BAKING,
    /** The tenant is being sent back: the move pages; its own error alerts are inhibited. */
    ROLLING_BACK
}
