package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.JournalEntry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Drives one move through its states: calls the {@link MoveStep} registered for the move's state, journals
 * the transition it asks for through {@link MoveLog} before it takes effect, and goes on until a stop point.
 * The controller runs one runner per move on its wave's executor.
 *
 * <p>Stop points ({@link #run} returns): PLANNED reached again (after an abort or a rollback, as the next
 * attempt; or a PLANNED step that failed before anything happened), DONE, FINALIZED and FAILED.
 *
 * <p>Failures: a step that throws before the switch (COPYING, SYNCED, FROZEN, FINAL_SYNC) sends the move to
 * ABORTING, which releases it to the old site; anywhere else (ABORTING itself, after the switch, during a
 * rollback) it goes to FAILED, because releasing a tenant whose placement is unknown could let its writes reach
 * two sites. A transition the state machine does not allow is a bug in a step: the move goes to FAILED.
 *
 * <p>Crash safety: the runner holds nothing that is not in the journal. A runner started on a replayed attempt
 * runs that state's step again (steps are idempotent), after re-freezing the tenant if it resumes inside a
 * freeze whose freezing step already ran (FINAL_SYNC, ROLLBACK_SYNC).
 */
public final class MoveRunner {
    private static final Logger log = LoggerFactory.getLogger(MoveRunner.class);
    /** A failing step here aborts back to the old site; anywhere else (but PLANNED) the move fails. */
    private static final Set<MoveState> ABORTABLE = EnumSet.of(MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN,
            MoveState.FINAL_SYNC);
    /**
     * Pause holds a move only where waiting costs nothing: before the freeze. A frozen tenant's requests are
     * held by the routers, a switched one is watched by the rollback line, and a releasing one must finish.
     */
    private static final Set<MoveState> PAUSABLE = EnumSet.of(MoveState.PLANNED, MoveState.COPYING, MoveState.SYNCED);

    private final MoveLog moveLog;
    private final Map<MoveState, MoveStep> steps;
    private final Refreeze refreeze;
    private final KeepStreams keepStreams;
    private final MoveRequests requests;
    private final Duration pollInterval;

    /** A runner whose resumed moves need no streams started again (tests, and moves without streams). */
    public MoveRunner(MoveLog log, List<MoveStep> steps, Refreeze refreeze, MoveRequests requests,
                      Duration pollInterval) {
        this(log, steps, refreeze, KeepStreams.NONE, requests, pollInterval);
    }

    /** {@code steps}: at most one per state; a state without a step that the move reaches sends it to FAILED. */
    public MoveRunner(MoveLog log, List<MoveStep> steps, Refreeze refreeze, KeepStreams keepStreams,
                      MoveRequests requests, Duration pollInterval) {
        this.moveLog = log;
        this.keepStreams = keepStreams;
        Map<MoveState, MoveStep> byState = new EnumMap<>(MoveState.class);
        for (MoveStep step : steps) {
            if (byState.put(step.state(), step) != null) {
                throw new IllegalArgumentException("two steps for state " + step.state());
            }
        }
        this.steps = byState;
        this.refreeze = refreeze;
        this.requests = requests;
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
        }
        this.pollInterval = pollInterval;
    }

    /**
     * Drives {@code attempt} to its next stop point and returns it there. {@code resumed}: the attempt comes
     * from the journal's replay after a restart (re-freeze first where needed), not from a stop point of this
     * controller's own run. Throws {@link InterruptedException} (nothing journaled for the step in progress) when
     * the controller stops.
     */
    public MoveAttempt run(MoveAttempt attempt, boolean resumed) throws InterruptedException {
        TenantId tenant = attempt.tenant();
        MDC.put("tenant", tenant.value());
        MDC.put("component", "move");
        try {
            MoveAttempt current = attempt;
            if (resumed && (current.state() == MoveState.FINAL_SYNC || current.state() == MoveState.ROLLBACK_SYNC)) {
                current = refreezeForResume(current);
            }
            if (resumed && current.state() == attempt.state() && !current.state().settled()) {
                current = restartStreams(current);
            }
            if (resumed && current.state() == MoveState.FINALIZED) {
                // Nothing records that the clean-up finished: a crash may have cut it short. It is idempotent.
                cleanUpFinalized(current);
            }
            boolean switchStepDone = false;
            while (true) {
                MoveState state = current.state();
                MDC.put("phase", state.name());
                if (state.settled() || (state == MoveState.PLANNED && current.attempt() != attempt.attempt())) {
                    requests.forget(tenant);
                    return current;
                }
                if (state == MoveState.BAKING || state == MoveState.DONE
                        || (state == MoveState.SWITCHED && switchStepDone)) {
                    Optional<String> rollback = requests.takeRollback(tenant);
                    if (rollback.isPresent()) {
                        current = go(current, MoveState.ROLLBACK_FROZEN, rollback.get(), Map.of());
                        continue;
                    }
                }
                if (state == MoveState.DONE) {
                    Optional<String> finalize = requests.takeFinalize(tenant);
                    if (finalize.isEmpty()) {
                        return current;
                    }
                    current = go(current, MoveState.FINALIZED, finalize.get(), Map.of());
                    cleanUpFinalized(current);
                    continue;
                }
                if (requests.paused() && PAUSABLE.contains(state)) {
                    Thread.sleep(pollInterval.toMillis());
                    continue;
                }
                MoveStep step = steps.get(state);
                if (step == null) {
                    current = go(current, MoveState.FAILED, "no step is registered for " + state, Map.of());
                    continue;
                }
                StepOutcome outcome;
                try {
                    outcome = step.run(current);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    if (state == MoveState.PLANNED) {
                        // Nothing has happened to the tenant yet: it stays where it is, and the controller pauses.
                        log.warn("move of {} could not start (attempt {}): {}", tenant, current.attempt(), message(e), e);
                        moveLog.board().problem(tenant, Optional.of("could not start: " + message(e)));
                        return current;
                    }
                    MoveState target = ABORTABLE.contains(state) ? MoveState.ABORTING : MoveState.FAILED;
                    log.warn("{} step of {} failed (attempt {}): {} -> {}", state, tenant, current.attempt(),
                            message(e), target, e);
                    current = go(current, target, message(e), Map.of());
                    continue;
                }
                if (state == MoveState.SWITCHED) {
                    switchStepDone = true;
                }
                if (outcome.stays(state)) {
                    current = stay(current, outcome);
                    continue;
                }
                if (!state.mayGoTo(outcome.next())) {
                    String reason = "illegal transition " + state + " -> " + outcome.next() + " asked by the " + state
                            + " step (allowed: " + state.successors() + "): " + outcome.reason();
                    log.error("move of {}: {}", tenant, reason);
                    current = go(current, MoveState.FAILED, reason, Map.of());
                    continue;
                }
                current = go(current, outcome.next(), outcome.reason(), outcome.notes());
            }
        } finally {
            MDC.remove("tenant");
            MDC.remove("component");
            MDC.remove("phase");
        }
    }

    private MoveAttempt stay(MoveAttempt current, StepOutcome outcome) throws InterruptedException {
        Optional<MoveState> onApproval = outcome.approvalNext();
        if (onApproval.isEmpty()) {
            Thread.sleep(pollInterval.toMillis());
            return current;
        }
        Optional<JournalEntry.PlanControl> approval = moveLog.approval(current);
        if (approval.isEmpty()) {
            moveLog.board().problem(current.tenant(), Optional.of("waiting for approval of wave " + current.wave()
                    + ": " + outcome.reason()));
            Thread.sleep(pollInterval.toMillis());
            return current;
        }
        moveLog.board().problem(current.tenant(), Optional.empty());
        MoveState next = onApproval.get();
        if (!current.state().mayGoTo(next)) {
            return go(current, MoveState.FAILED, "illegal transition " + current.state() + " -> " + next
                    + " asked on approval by the " + current.state() + " step (allowed: "
                    + current.state().successors() + ")", Map.of());
        }
        return go(current, next, "approved by " + approval.get().actor() + " (" + outcome.reason() + ")", Map.of());
    }

    private MoveAttempt refreezeForResume(MoveAttempt current) throws InterruptedException {
        try {
            log.info("resuming {} in {}: freezing it again first", current.tenant(), current.state());
            refreeze.refreeze(current);
            return current;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            MoveState target = current.state() == MoveState.FINAL_SYNC ? MoveState.ABORTING : MoveState.FAILED;
            return go(current, target, "re-freeze on resume failed: " + message(e), Map.of());
        }
    }

    private MoveAttempt restartStreams(MoveAttempt current) throws InterruptedException {
        try {
            keepStreams.keepStreams(current);
            return current;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            String problem = "restarting its change streams on resume failed: " + message(e);
            if (current.state() == MoveState.DONE) {
                // Done and serving on the new site: failing it would forbid a rollback for a passing fault.
                log.error("move of {}: {}", current.tenant(), problem, e);
                moveLog.board().problem(current.tenant(), Optional.of(problem));
                moveLog.board().publish(new MoveEvent.ReverseSyncFailed(current.tenant(), problem,
                        moveLog.clock().instant()));
                return current;
            }
            if (current.state() == MoveState.PLANNED) {
                return current; // nothing runs yet; the PLANNED step starts what it needs
            }
            MoveState target = ABORTABLE.contains(current.state()) ? MoveState.ABORTING : MoveState.FAILED;
            return go(current, target, problem, Map.of());
        }
    }

    /** FINALIZED's step (stop the reverse sync, remove what hikkoshi installed) runs once; it cannot fail over. */
    private void cleanUpFinalized(MoveAttempt current) throws InterruptedException {
        MoveStep cleanup = steps.get(MoveState.FINALIZED);
        if (cleanup == null) {
            return;
        }
        try {
            cleanup.run(current);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            log.error("clean-up after finalizing {} failed: {}", current.tenant(), message(e), e);
            moveLog.board().problem(current.tenant(), Optional.of("clean-up after finalize failed: " + message(e)));
        }
    }

    private MoveAttempt go(MoveAttempt current, MoveState to, String reason, Map<String, String> notes) {
        MoveAttempt next = moveLog.transition(current, to, reason, notes);
        log.info("move of {} (attempt {}): {} -> {}: {}", current.tenant(), current.attempt(), current.state(), to,
                reason);
        return next;
    }

    /** The reason journaled for a failed step; a user-fixable refusal keeps its hint (the settings to apply). */
    private static String message(Exception e) {
        String text = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return e instanceof dev.hikkoshi.core.UserException u && u.hint() != null && !u.hint().isBlank()
                ? text + " (hint: " + u.hint() + ")" : text;
    }
}
