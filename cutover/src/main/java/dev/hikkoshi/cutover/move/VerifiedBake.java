package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.differential.DifferentialCapture;
import dev.hikkoshi.data.stream.TenantStream;
import java.util.Optional;

/**
 * BAKING's step: the rollback line's bake, and, when it decides DONE, a full verification of the reverse sync
 * first ({@link TenantVerification}, the new site compared with the old one). A rollback after DONE rests on the
 * old site holding every write made on the new one, and a row the reverse stream never carried is in no dirty set:
 * only a comparison of everything finds it, as SYNCED's does for the forward stream. Rows that still differ once
 * the stream has caught up are re-copied by key, logged as a warning and named in DONE's reason. A reverse stream
 * that has failed or stopped by then fails the step, as in every step that needs a stream: DONE would promise a
 * rollback the old site can no longer honour. Not in differential mode, whose every pass compares the whole tenant.
 */
final class VerifiedBake implements MoveStep {
    /** Where DONE's reason reports the verification. */
    private static final String PART = "reverse sync: ";
    private final MoveStep bake;
    private final StepContext ctx;

    VerifiedBake(MoveStep bake, StepContext ctx) {
        if (bake.state() != MoveState.BAKING) {
            throw new IllegalArgumentException("not a BAKING step: " + bake.state());
        }
        this.bake = bake;
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.BAKING;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) throws Exception {
        StepOutcome outcome = bake.run(attempt);
        if (outcome.next() != MoveState.DONE) {
            return outcome;
        }
        Tenant tenant = ctx.enter(attempt);
        if (ctx.data().capture(tenant, attempt.to(), attempt.from()) instanceof DifferentialCapture) {
            return outcome;
        }
        TenantStream reverse = StepContext.alive(ctx.data().stream(tenant, attempt.to(), attempt.from(), true,
                StepContext.noted(attempt, NoteKeys.REVERSE_POSITION)));
        TenantVerification.Outcome verified = TenantVerification.run(tenant.id().value(),
                ctx.data().comparison(tenant, attempt.to(), attempt.from()), reverse, ctx.settings().stepWait());
        return StepOutcome.go(MoveState.DONE, outcome.reason() + "; " + PART + verified.describe(),
                outcome.notes());
    }

    /** The part of a DONE {@code reason} on the reverse sync's verification, when it had to re-copy rows. */
    static Optional<String> reverseSyncRepair(String reason) {
        int at = reason.indexOf("; " + PART);
        return at >= 0 && reason.indexOf(TenantVerification.RECOPIED, at) >= 0
                ? Optional.of(reason.substring(at + 2)) : Optional.empty();
    }
}
