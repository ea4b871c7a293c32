package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.copy.CopyResult;
import dev.hikkoshi.data.stream.TenantStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COPYING -> SYNCED: copies the tenant's rows (resuming this attempt's copy checkpoints), starts the forward
 * stream from its checkpoint or the position PLANNED noted, and stays until the stream has caught up. Once the
 * stream runs, later runs only wait for it; after a crash the copy resumes (nothing left: a few queries) and the
 * stream restarts from its checkpoint.
 */
final class CopyingStep implements MoveStep {
    private static final Logger log = LoggerFactory.getLogger(CopyingStep.class);
    private final StepContext ctx;

    CopyingStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.COPYING;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) throws InterruptedException {
        Tenant tenant = ctx.enter(attempt);
        if (ctx.data().running(tenant.id(), attempt.from(), attempt.to()).isEmpty()) {
            CopyResult copied = ctx.data().copy(tenant, attempt.from(), attempt.to());
            log.info("tenant {}: {} rows copied in this run ({} in all) in {} ms", tenant.id(), copied.rowsThisRun(),
                    copied.totalRows(), copied.elapsed().toMillis());
        }
        TenantStream stream = StepContext.alive(ctx.data().stream(tenant, attempt.from(), attempt.to(), false,
                StepContext.noted(attempt, NoteKeys.FORWARD_POSITION)));
        boolean caughtUp = stream.awaitCaughtUp(ctx.settings().stepWait());
        StepContext.alive(stream);
        if (caughtUp && stream.lagSeconds() * 1000 < ctx.settings().syncedLag().toMillis()) {
            return StepOutcome.go(MoveState.SYNCED, "rows copied and the stream caught up (" + StepContext.lag(stream) + ")");
        }
        return StepOutcome.stay(MoveState.COPYING, "stream catching up: " + StepContext.lag(stream));
    }
}
