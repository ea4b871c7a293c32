package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveEvent;

/**
 * Where the BAKING step records each rollback-line window's verdict: journaled (fsynced) and then published
 * to {@link dev.hikkoshi.core.move.MoveEvents}. Implemented by {@link MoveLog}.
 */
@FunctionalInterface
public interface VerdictLog {
    void record(MoveEvent.Verdict verdict);
}
