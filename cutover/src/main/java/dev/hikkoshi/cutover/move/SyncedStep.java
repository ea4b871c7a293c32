package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.differential.DifferentialCapture;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.data.verify.RowDifference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SYNCED -> FROZEN: once the stream has caught up, verifies the whole tenant once per attempt
 * ({@link TenantVerification}: a row the stream never carried is in no dirty set), keeps verifying the stream's
 * dirty rows (so the final verification is small), and goes on only when the lag is under threshold and the
 * estimated final sync fits {@code freeze.max}. It also opens the new site's capture now, so that noting its
 * position during the freeze costs no set-up.
 *
 * <p>The estimate: the fixed cost of a drain (its bound: a trigger drain waits for a heartbeat a second after it
 * starts, a binlog drain for the position at its start), the current lag, and the
 * dirty rows at 0.1 ms each (the data engine's bench verifies 1,000 dirty rows in under 100 ms); in differential
 * mode the full pass the final sync must make over the tenant, as the capture estimates it.
 */
final class SyncedStep implements MoveStep {
    private final StepContext ctx;
    /** This process's full verification of each attempt ({@code tenant#attempt}); a restarted controller verifies again. */
    private final Map<String, TenantVerification.Outcome> verified = new ConcurrentHashMap<>();

    SyncedStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.SYNCED;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) throws InterruptedException {
        Tenant tenant = ctx.enter(attempt);
        TenantStream stream = StepContext.alive(ctx.data().stream(tenant, attempt.from(), attempt.to(), false,
                StepContext.noted(attempt, NoteKeys.FORWARD_POSITION)));
        List<RowDifference> differing = ctx.data().dirtyDifferences(tenant, stream, attempt.from(), attempt.to());
        ctx.data().capture(tenant, attempt.to(), attempt.from());
        Duration lag = Duration.ofMillis(Math.round(stream.lagSeconds() * 1000));
        if (lag.compareTo(ctx.settings().syncedLag()) > 0) {
            stream.awaitCaughtUp(ctx.settings().stepWait());
            return StepOutcome.stay(MoveState.SYNCED, "stream behind: " + StepContext.lag(stream));
        }
        ChangeCapture capture = ctx.data().capture(tenant, attempt.from(), attempt.to());
        String attemptKey = attempt.tenant() + "#" + attempt.attempt();
        TenantVerification.Outcome full = verified.get(attemptKey);
        if (full == null && !(capture instanceof DifferentialCapture)) {
            full = TenantVerification.run(tenant.id().value(), ctx.data().comparison(tenant, attempt.from(), attempt.to()),
                    stream, ctx.settings().stepWait());
            verified.put(attemptKey, full);
            // It may have taken a while: lag and estimate are judged afresh on the next run.
            return StepOutcome.stay(MoveState.SYNCED, full.describe());
        }
        Duration estimate = estimate(tenant, attempt, stream, lag, differing.size());
        if (estimate.compareTo(ctx.settings().freezeMax()) > 0) {
            Thread.sleep(ctx.settings().stepWait().toMillis());
            return StepOutcome.stay(MoveState.SYNCED, "estimated final sync " + estimate.toMillis() + " ms exceeds"
                    + " freeze.max " + ctx.settings().freezeMax().toMillis() + " ms (" + StepContext.lag(stream) + ", "
                    + stream.status().dirtyRows() + " dirty rows)");
        }
        return StepOutcome.go(MoveState.FROZEN, "lag " + lag.toMillis() + " ms; estimated final sync "
                + estimate.toMillis() + " ms fits freeze.max " + ctx.settings().freezeMax().toMillis() + " ms"
                + (full != null ? "; " + full.describe() : ""));
    }

    private Duration estimate(Tenant tenant, MoveAttempt attempt, TenantStream stream, Duration lag, int differing) {
        ChangeCapture capture = ctx.data().capture(tenant, attempt.from(), attempt.to());
        if (capture instanceof DifferentialCapture differential) {
            return differential.fullPassEstimate().orElse(Duration.ofDays(1));
        }
        long dirty = stream.status().dirtyRows() + differing;
        CaptureMode mode = ctx.data().database(attempt.from()).config().capture();
        return ctx.settings().finalSyncOverhead(mode).plus(lag).plus(Duration.ofMillis(dirty / 10));
    }
}
