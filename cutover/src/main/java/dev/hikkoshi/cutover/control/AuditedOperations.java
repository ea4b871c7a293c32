package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.AuditLog.Entry;
import dev.hikkoshi.cutover.control.AuditLog.Outcome;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's operations with every control action written to the {@link AuditLog}: who, what, when and
 * how it ended (ok, refused with the refusal's message, or failed). The admin API serves this, and in-process
 * callers ({@code hikkoshi run}) use it too, so no action bypasses the log. It also refuses a tenant or wave
 * the plan does not have ({@link UnknownSubjectException}) before the controller sees it. Reads
 * ({@link #status}) are not audited.
 */
public final class AuditedOperations implements ControllerOperations {
    private static final Logger log = LoggerFactory.getLogger(AuditedOperations.class);

    private final ControllerOperations controller;
    private final AuditLog audit;
    private final Clock clock;

    public AuditedOperations(ControllerOperations controller, AuditLog audit, Clock clock) {
        this.controller = Objects.requireNonNull(controller, "controller");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The actor of an in-process call: {@code local:} and the operating-system user running the process. */
    public static Actor localUser() {
        return new Actor("local:" + System.getProperty("user.name", "unknown"));
    }

    @Override
    public ControllerStatus status() {
        return controller.status();
    }

    @Override
    public void apply(Actor actor) {
        audited(actor, "apply", "plan", Optional.empty(), () -> controller.apply(actor));
    }

    @Override
    public void adopt(Actor actor, dev.hikkoshi.cutover.plan.Plan plan) {
        audited(actor, "apply", PlanAdoption.name(plan.id()), Optional.empty(), () -> controller.adopt(actor, plan));
    }

    @Override
    public void resumePlan(Actor actor) {
        audited(actor, "apply --resume", "plan", Optional.empty(), () -> controller.resumePlan(actor));
    }

    @Override
    public void pause(Actor actor, String reason) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
        audited(actor, "pause", "plan", Optional.of(why), () -> controller.pause(actor, why));
    }

    @Override
    public void resume(Actor actor) {
        audited(actor, "resume", "plan", Optional.empty(), () -> controller.resume(actor));
    }

    @Override
    public void rollback(Actor actor, TenantId tenant) {
        audited(actor, "rollback", tenant.value(), Optional.empty(), () -> {
            requireTenant(tenant);
            controller.rollback(actor, tenant);
        });
    }

    @Override
    public void finalizeMove(Actor actor, TenantId tenant) {
        audited(actor, "finalize", tenant.value(), Optional.empty(), () -> {
            requireTenant(tenant);
            controller.finalizeMove(actor, tenant);
        });
    }

    @Override
    public void approve(Actor actor, String wave) {
        audited(actor, "approve", wave, Optional.empty(), () -> {
            requireWave(wave);
            controller.approve(actor, wave);
        });
    }

    /** Writes the line of a request refused for its token (the admin API calls this). */
    void unauthorized(String what, String why) {
        audit.append(new Entry(clock.instant(), "-", what, "-", Optional.empty(), Outcome.UNAUTHORIZED,
                Optional.of(why)));
    }

    private void audited(Actor actor, String what, String subject, Optional<String> detail, Runnable action) {
        Objects.requireNonNull(actor, "actor");
        try {
            action.run();
        } catch (UserException e) {
            write(new Entry(clock.instant(), actor.name(), what, subject, detail, Outcome.REFUSED,
                    Optional.of(e.getMessage())));
            throw e;
        } catch (RuntimeException e) {
            write(new Entry(clock.instant(), actor.name(), what, subject, detail, Outcome.FAILED,
                    Optional.of(describe(e))));
            throw e;
        }
        write(new Entry(clock.instant(), actor.name(), what, subject, detail, Outcome.OK, Optional.empty()));
        log.info("{} by {}: {} ok", what, actor.name(), subject);
    }

    /** A failure in one line: the exception and its root cause, which often says more ("No space left"). */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + " (caused by " + root + ")";
    }

    private void write(Entry entry) {
        try {
            audit.append(entry);
        } catch (RuntimeException e) {
            // The action has happened (or was refused) and cannot be undone: say so loudly, then fail the call
            // so that the operator learns the log is incomplete.
            log.error("{} by {} on {} ended {} but the audit log could not record it", entry.what(), entry.who(),
                    entry.subject(), entry.outcome(), e);
            throw e;
        }
    }

    private void requireTenant(TenantId tenant) {
        if (controller.status().moves().stream().noneMatch(m -> m.tenant().equals(tenant))) {
            throw new UnknownSubjectException("no move of tenant " + tenant.value() + " in the plan",
                    "hikkoshi status lists the plan's tenants; check the name");
        }
    }

    private void requireWave(String wave) {
        Set<String> waves = new LinkedHashSet<>();
        controller.status().moves().stream().map(MoveStatus::wave).forEach(waves::add);
        if (!waves.contains(wave)) {
            throw new UnknownSubjectException("no wave " + wave + " in the plan",
                    waves.isEmpty() ? "the plan has no moves yet" : "the plan's waves: " + String.join(", ", waves));
        }
    }
}
