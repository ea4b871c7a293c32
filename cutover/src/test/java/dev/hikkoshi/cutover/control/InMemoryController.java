package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveEvents;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A controller held in memory for the admin API's exact-answer tests and the app's CLI tests: it keeps moves
 * and the paused flag, refuses what the journaled {@link Controller} refuses with the same messages and hints,
 * and publishes a transition for every change it makes (RealControllerAdminIT runs the real one). It runs no step: a rollback goes to
 * ROLLBACK_FROZEN and stays there. Lives in test sources (and the cutover test jar, for the app's CLI tests).
 */
public final class InMemoryController implements ControllerOperations, MoveEvents {
    private final Clock clock;
    private final List<MoveStatus> moves = new ArrayList<>();
    private final List<Consumer<MoveEvent>> listeners = new CopyOnWriteArrayList<>();
    private boolean applied;
    private boolean paused;
    private Optional<String> pauseReason = Optional.empty();
    private final List<String> calls = new ArrayList<>();

    public InMemoryController(Clock clock) {
        this.clock = clock;
    }

    /** A small plan: acme baking in the pilot wave, globex done, initech finalized, umbrella planned. */
    public static InMemoryController withSamplePlan(Clock clock) {
        InMemoryController c = new InMemoryController(clock);
        Instant now = clock.instant();
        c.add(move("acme", "pilot", MoveState.BAKING, now.minusSeconds(95), Optional.of(Duration.ofMillis(812)),
                Optional.of("window 3: p99 412 ms <= 800 ms, 5xx 0.1% <= 2%: healthy"), Optional.empty()));
        c.add(move("globex", "pilot", MoveState.DONE, now.minusSeconds(3600), Optional.of(Duration.ofMillis(240)),
                Optional.of("window 10: healthy"), Optional.empty()));
        c.add(move("initech", "half", MoveState.FINALIZED, now.minusSeconds(7200), Optional.of(Duration.ofMillis(95)),
                Optional.empty(), Optional.empty()));
        c.add(move("umbrella", "half", MoveState.PLANNED, now.minusSeconds(30), Optional.empty(), Optional.empty(),
                Optional.of("waiting for wave half")));
        return c;
    }

    public static MoveStatus move(String tenant, String wave, MoveState state, Instant since,
                                  Optional<Duration> freeze, Optional<String> verdict, Optional<String> problem) {
        return new MoveStatus(TenantId.of(tenant), wave, 1, state, since, SiteId.of("legacy"), SiteId.of("cloud"),
                freeze, verdict, problem);
    }

    public synchronized void add(MoveStatus move) {
        moves.add(move);
    }

    /** What was asked of this controller, and by whom, in order ("rollback acme by ops-alice"). */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized MoveState state(String tenant) {
        return find(TenantId.of(tenant)).state();
    }

    @Override
    public synchronized ControllerStatus status() {
        return new ControllerStatus(moves, paused, pauseReason);
    }

    @Override
    public synchronized List<MoveStatus> moves() {
        return List.copyOf(moves);
    }

    @Override
    public AutoCloseable subscribe(Consumer<MoveEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public synchronized void apply(Actor actor) {
        calls.add("apply by " + actor.name());
        applied = true;
    }

    @Override
    public synchronized void adopt(Actor actor, dev.hikkoshi.cutover.plan.Plan plan) {
        calls.add("adopt " + plan.id() + " by " + actor.name());
        applied = true;
    }

    @Override
    public synchronized void resumePlan(Actor actor) {
        calls.add("apply --resume by " + actor.name());
        applied = true;
    }

    @Override
    public synchronized void pause(Actor actor, String reason) {
        if (paused) {
            throw new UserException("pause refused: the plan is already paused: " + pauseReason.orElse(""),
                    "hikkoshi resume continues it");
        }
        calls.add("pause by " + actor.name() + ": " + reason);
        paused = true;
        pauseReason = Optional.of(reason);
    }

    @Override
    public synchronized void resume(Actor actor) {
        if (!paused) {
            throw new UserException("resume refused: the plan is not paused", "hikkoshi status shows what it is doing");
        }
        calls.add("resume by " + actor.name());
        paused = false;
        pauseReason = Optional.empty();
    }

    @Override
    public synchronized void rollback(Actor actor, TenantId tenant) {
        MoveStatus m = find(tenant);
        if (m.state() == MoveState.FINALIZED) {
            throw new UserException("rollback refused: " + tenant + " was finalized at " + m.since(),
                    "its reverse sync is stopped, so nothing can carry its writes back; to return it, move it "
                            + "back to " + m.from() + " with a new plan");
        }
        if (!m.state().mayGoTo(MoveState.ROLLBACK_FROZEN)) {
            throw new UserException("rollback refused: " + tenant + " is " + m.state()
                    + " (a rollback needs SWITCHED, BAKING or DONE)", "a move before its switch aborts back by itself "
                    + "when a step fails; hikkoshi status shows where " + tenant + " is");
        }
        calls.add("rollback " + tenant.value() + " by " + actor.name());
        go(m, MoveState.ROLLBACK_FROZEN, "rollback by " + actor.name());
    }

    @Override
    public synchronized void finalizeMove(Actor actor, TenantId tenant) {
        MoveStatus m = find(tenant);
        if (m.state() != MoveState.DONE) {
            throw new UserException("finalize refused: " + tenant + " is " + m.state() + " (finalize needs DONE)",
                    "wait until its bake ends (hikkoshi status shows it)");
        }
        calls.add("finalize " + tenant.value() + " by " + actor.name());
        go(m, MoveState.FINALIZED, "finalized by " + actor.name());
    }

    @Override
    public synchronized void approve(Actor actor, String wave) {
        if (moves.stream().noneMatch(m -> m.wave().equals(wave) && m.state() == MoveState.BAKING)) {
            throw new UserException("approve refused: no move of wave " + wave + " is baking",
                    "approve lets moves whose bake stayed inconclusive go on; hikkoshi status shows which wait");
        }
        calls.add("approve " + wave + " by " + actor.name());
    }

    public synchronized boolean applied() {
        return applied;
    }

    private MoveStatus find(TenantId tenant) {
        return moves.stream().filter(m -> m.tenant().equals(tenant)).findFirst()
                .orElseThrow(() -> new UserException("rollback refused: " + tenant + " is not part of the plan",
                        "hikkoshi status lists the plan's tenants"));
    }

    private void go(MoveStatus m, MoveState to, String reason) {
        Instant now = clock.instant();
        MoveStatus next = new MoveStatus(m.tenant(), m.wave(), m.attempt(), to, now, m.from(), m.to(),
                m.freezeTime(), m.lastVerdict(), m.problem());
        moves.set(moves.indexOf(m), next);
        MoveEvent event = new MoveEvent.Transition(m.tenant(), m.attempt(), m.state(), to, reason, now);
        listeners.forEach(l -> l.accept(event));
    }
}
