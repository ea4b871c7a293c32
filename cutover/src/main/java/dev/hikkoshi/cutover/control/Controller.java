package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.journal.JournalReplay;
import dev.hikkoshi.cutover.move.MoveAttempt;
import dev.hikkoshi.cutover.move.MoveBoard;
import dev.hikkoshi.cutover.move.MoveLog;
import dev.hikkoshi.cutover.move.MoveRequests;
import dev.hikkoshi.cutover.move.MoveRunner;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the plan: its waves one after another, {@code parallel-moves} moves at a time within a wave, each move
 * driven by the {@link MoveRunner}; and answers the operators ({@link ControllerOperations}: pause, resume,
 * approve, rollback, finalize, status). The admin API and {@code hikkoshi run} call it.
 *
 * <p>Policy: an automatic abort or a failure pauses the plan (journaled, by actor {@code controller}, with the
 * reason), so an operator looks before anything else moves; an aborted move, back in PLANNED, is tried again as
 * its next attempt once the plan resumes. A rolled-back move (by its rollback line or by hand) is set aside for
 * the rest of the walk, since moving it again at once would cross the same line again, and is tried again at the
 * next {@link #apply}; whether the plan pauses meanwhile is {@link AfterRollback}. A FAILED move is left for a
 * human and does not hold its wave.
 *
 * <p>Concurrency: {@link ControllerThreads}: one plan thread walks the waves, {@code parallel-moves} threads run a
 * wave's moves, and rollbacks and finalizes of moves that are not running (DONE) run aside, so they never wait
 * for a wave's slot. At most one runner drives a tenant at a time ({@link #active}).
 */
public final class Controller implements ControllerOperations, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);
    private static final Actor SELF = new Actor("controller");
    /** Moves in these states need nothing more from the plan. */
    private static final Set<MoveState> FINISHED = EnumSet.of(MoveState.DONE, MoveState.FINALIZED, MoveState.FAILED);
    private static final Set<MoveState> ROLLBACK_FROM = EnumSet.of(MoveState.SWITCHED, MoveState.BAKING, MoveState.DONE);

    private volatile List<PlanSettings.Wave> waves;
    private final SiteId from;
    private final SiteId to;
    private final MoveLog moveLog;
    private final MoveBoard board;
    private final MoveRequests requests;
    private final MoveRunner runner;
    private final Map<TenantId, MoveAttempt> attempts = new ConcurrentHashMap<>();
    private final Set<TenantId> replayed = ConcurrentHashMap.newKeySet();
    private final Set<TenantId> active = ConcurrentHashMap.newKeySet();
    private final ControllerThreads threads;
    private volatile Optional<String> pauseReason;
    private volatile Future<?> walk;
    private volatile Optional<String> currentWave = Optional.empty();
    private volatile boolean applied;
    private final WaveGate gate;
    private final Optional<StartWindow> window;
    private final PlanAdoption adoption;
    private volatile Optional<String> adoptedPlan;
    private volatile Supplier<Optional<String>> blocked = Optional::empty;
    private final AfterRollback afterRollback;
    private final Setbacks setbacks;

    /**
     * @param configWaves the config's waves, run unless the journal holds an adopted plan (whose waves run then)
     * @param replay      the journal's replay: where each move is, and whether the plan was paused
     * @param from        the site tenants leave; {@code to}: the site they move to
     * @param afterRollback whether the plan pauses when a tenant is rolled back
     * @param window      when moves may start ({@code plan.start-window}); empty: at any time
     * @param adoption    the checks a plan passes before it is adopted
     */
    public Controller(List<PlanSettings.Wave> configWaves, int parallelMoves, SiteId from, SiteId to,
                      JournalReplay replay, MoveLog moveLog, MoveRequests requests, MoveRunner runner,
                      AfterRollback afterRollback, Optional<StartWindow> window, PlanAdoption adoption) {
        this.afterRollback = afterRollback;
        this.waves = replay.adopted().map(PlanAdoption::waves).orElse(List.copyOf(configWaves));
        this.adoptedPlan = replay.adopted().map(JournalEntry.PlanAdopted::planId);
        this.gate = new WaveGate(replay.approvedWaves());
        this.window = window;
        this.adoption = adoption;
        this.from = from;
        this.to = to;
        this.moveLog = moveLog;
        this.board = moveLog.board();
        this.requests = requests;
        this.runner = runner;
        this.threads = new ControllerThreads(parallelMoves, this::stopped);
        for (PlanSettings.Wave wave : this.waves) {
            for (TenantId tenant : wave.tenants()) {
                attempts.put(tenant, new MoveAttempt(tenant, wave.name(), 1, from, to, MoveState.PLANNED, Map.of()));
                board.track(new MoveStatus(tenant, wave.name(), 1, MoveState.PLANNED, moveLog.clock().instant(), from,
                        to, Optional.empty(), Optional.empty(), Optional.empty()));
            }
        }
        replay.moves().values().stream().sorted((a, b) -> a.attempt().tenant().compareTo(b.attempt().tenant()))
                .forEach(m -> {
                    attempts.put(m.attempt().tenant(), m.attempt());
                    replayed.add(m.attempt().tenant());
                    board.track(m);
                });
        PlanAdoption.relabelPlanned(this.waves, attempts, board);
        this.pauseReason = replay.pauseReason();
        this.applied = replay.applied();
        this.setbacks = new Setbacks(replay.rolledBackSinceApply());
        requests.paused(replay.paused());
        board.subscribe(setbacks::note);
    }

    /**
     * Resumes what the journal shows: the plan's walk if it was applied (or a move is in flight), moves in flight
     * (anything but PLANNED, DONE, FINALIZED and FAILED) at once, each on its own thread, since a frozen tenant
     * must wait neither for an operator's {@code apply} nor for an earlier wave; DONE moves once, so that their reverse streams run
     * again and a rollback stays possible; and FINALIZED moves' clean-up once more, since a crash may have cut
     * it short (it is idempotent; with many finalized tenants this costs a little at every start).
     */
    public synchronized void start() {
        List<MoveAttempt> resumable = attempts.values().stream()
                .filter(a -> replayed.contains(a.tenant()) && a.state() != MoveState.PLANNED && a.state() != MoveState.FAILED)
                .sorted((a, b) -> a.tenant().compareTo(b.tenant())).toList();
        List<TenantId> inFlight = resumable.stream().filter(a -> !FINISHED.contains(a.state()))
                .map(MoveAttempt::tenant).toList();
        inFlight.forEach(this::runAsideIfIdle);
        // Finished moves one after another on one thread: there may be many, each opening its streams.
        List<TenantId> finished = resumable.stream().filter(a -> FINISHED.contains(a.state()))
                .map(MoveAttempt::tenant).toList();
        if (!finished.isEmpty()) {
            threads.aside(() -> {
                for (TenantId tenant : finished) {
                    drive(tenant, false);
                }
            });
        }
        if ((applied || !inFlight.isEmpty()) && !running()) {
            log.info("resuming the plan from the journal (moves in flight: {})", inFlight);
            startWalk();
        }
    }

    @Override
    public ControllerStatus status() {
        return new ControllerStatus(board.moves(), requests.paused(), requests.paused() ? pauseReason : Optional.empty(),
                waiting());
    }

    /** Why nothing starts although the plan runs: a wave's gate, or the start window. */
    private Optional<String> waiting() {
        Optional<String> gated = gate.waitingFor();
        if (gated.isPresent()) {
            return Optional.of("waiting for approval of wave " + gated.get());
        }
        java.time.Instant now = moveLog.clock().instant();
        return window.filter(w -> running() && !w.allows(now) && currentWave.map(this::hasUnstartedMove).orElse(false))
                .map(w -> w.closedReason(now));
    }

    private boolean hasUnstartedMove(String wave) {
        return waves.stream().filter(w -> w.name().equals(wave)).flatMap(w -> w.tenants().stream())
                .anyMatch(t -> attempts.get(t).state() == MoveState.PLANNED);
    }

    @Override
    public synchronized void apply(Actor actor) {
        if (running()) {
            throw new UserException("apply refused: the plan is already running" + currentWave.map(w -> " (wave " + w + ")")
                    .orElse(""), "hikkoshi status shows where it is; hikkoshi pause stops it between moves");
        }
        moveLog.planControl(JournalEntry.PlanAction.APPLIED, Optional.empty(), actor.name(), "applied by " + actor.name());
        log.info("plan applied by {}", actor.name());
        setbacks.clearSetAside();
        applied = true;
        startWalk();
    }

    @Override
    public synchronized void adopt(Actor actor, dev.hikkoshi.cutover.plan.Plan plan) {
        Optional<String> block = blocked.get();
        if (block.isPresent()) {
            throw new UserException("apply refused: " + block.get(), "the controller takes the lock again by itself; "
                    + "apply once hikkoshi status no longer shows the plan paused for it");
        }
        String name = PlanAdoption.name(plan.id());
        if (adoptedPlan.equals(Optional.of(plan.id()))) {
            log.info("{} sent again by {}: already adopted", name, actor.name());
            if (!running()) {
                startWalk();
            }
            return;
        }
        if (running()) {
            throw new UserException("apply refused: " + adoptedPlan.map(PlanAdoption::name).orElse("the config's plan")
                    + " is still running" + currentWave.map(w -> " (wave " + w + ")").orElse("")
                    + "; only one plan runs at a time",
                    "wait until it has finished (hikkoshi status shows where it is); sending the same plan again is harmless");
        }
        List<PlanSettings.Wave> planned = adoption.check(plan, board.moves());
        moveLog.adopted(new JournalEntry.PlanAdopted(plan.id(), PlanAdoption.journaled(plan), actor.name(),
                moveLog.clock().instant()));
        log.info("{} adopted by {}: {} waves, {} tenants", name, actor.name(), planned.size(), plan.tenants().size());
        gate.reset();
        setbacks.clearSetAside();
        adoptedPlan = Optional.of(plan.id());
        applied = true;
        PlanAdoption.enter(planned, attempts, replayed, board, from, to, moveLog.clock().instant());
        waves = planned;
        startWalk();
    }

    @Override
    public synchronized void resumePlan(Actor actor) {
        if (running()) {
            log.info("apply --resume by {}: the plan runs already", actor.name());
            return;
        }
        if (!applied) {
            throw new UserException("apply --resume refused: no plan was applied to this controller yet",
                    "make one with hikkoshi plan -c FILE -o PLAN, then run hikkoshi apply PLAN -c FILE");
        }
        moveLog.planControl(JournalEntry.PlanAction.APPLIED, Optional.empty(), actor.name(), "resumed by " + actor.name());
        log.info("plan continued by {}", actor.name());
        startWalk();
    }

    @Override
    public synchronized void pause(Actor actor, String reason) {
        if (requests.paused()) {
            throw new UserException("pause refused: the plan is already paused: " + pauseReason.orElse(""),
                    "hikkoshi resume continues it");
        }
        pauseNow(actor, reason);
    }

    @Override
    public synchronized void resume(Actor actor) {
        if (!requests.paused()) {
            throw new UserException("resume refused: the plan is not paused",
                    "hikkoshi status shows what it is doing");
        }
        Optional<String> block = blocked.get();
        if (block.isPresent()) {
            throw new UserException("resume refused: " + block.get(), "the controller resumes the plan by itself "
                    + "once it holds the lock again; check the new site's database server");
        }
        moveLog.planControl(JournalEntry.PlanAction.RESUMED, Optional.empty(), actor.name(), "resumed by " + actor.name());
        pauseReason = Optional.empty();
        requests.paused(false);
        log.info("plan resumed by {}", actor.name());
    }

    @Override
    public synchronized void rollback(Actor actor, TenantId tenant) {
        MoveStatus status = known(tenant, "rollback");
        if (status.state() == MoveState.FINALIZED) {
            throw new UserException("rollback refused: " + tenant + " was finalized at " + status.since(),
                    "its reverse sync is stopped, so nothing can carry its writes back; to return it, move it "
                            + "back to " + status.from() + " with a new plan");
        }
        if (!ROLLBACK_FROM.contains(status.state())) {
            throw new UserException("rollback refused: " + tenant + " is " + status.state()
                    + " (a rollback needs SWITCHED, BAKING or DONE)",
                    "a move before its switch aborts back by itself when a step fails; hikkoshi status shows where "
                            + tenant + " is");
        }
        if (requests.rollbackPending(tenant)) {
            throw new UserException("rollback refused: a rollback of " + tenant + " is already on its way",
                    "hikkoshi status shows its progress");
        }
        log.info("rollback of {} requested by {}", tenant, actor.name());
        requests.requestRollback(tenant, "rollback by " + actor.name());
        runAsideIfIdle(tenant);
    }

    @Override
    public synchronized void finalizeMove(Actor actor, TenantId tenant) {
        MoveStatus status = known(tenant, "finalize");
        if (status.state() == MoveState.FINALIZED) {
            throw new UserException("finalize refused: " + tenant + " was finalized at " + status.since(),
                    "nothing left to do");
        }
        if (status.state() != MoveState.DONE || requests.rollbackPending(tenant)) {
            throw new UserException("finalize refused: " + tenant + " is " + status.state()
                    + (requests.rollbackPending(tenant) ? " with a rollback on its way" : "")
                    + " (finalize needs DONE)", "wait until its bake ends (hikkoshi status shows it)");
        }
        log.info("finalize of {} requested by {}", tenant, actor.name());
        requests.requestFinalize(tenant, "finalized by " + actor.name());
        runAsideIfIdle(tenant);
    }

    @Override
    public synchronized void approve(Actor actor, String wave) {
        Optional<PlanSettings.Wave> named = waves.stream().filter(w -> w.name().equals(wave)).findFirst();
        if (named.isEmpty()) {
            throw new UserException("approve refused: there is no wave named " + wave,
                    "the plan's waves are: " + waves.stream().map(PlanSettings.Wave::name).collect(Collectors.joining(", ")));
        }
        if (!gate.isOpen(named.get())) {
            moveLog.planControl(JournalEntry.PlanAction.APPROVED, Optional.of(wave), actor.name(),
                    "wave " + wave + " opened by " + actor.name());
            gate.approve(wave);
            log.info("wave {} approved by {}: it starts once the waves before it are done", wave, actor.name());
            return;
        }
        List<TenantId> baking = board.moves().stream()
                .filter(s -> s.wave().equals(wave) && s.state() == MoveState.BAKING).map(MoveStatus::tenant).toList();
        if (baking.isEmpty()) {
            throw new UserException("approve refused: no move of wave " + wave + " is baking",
                    "approve lets moves whose bake stayed inconclusive go on; hikkoshi status shows which wait");
        }
        log.info("wave {} approved by {} ({} baking: {})", wave, actor.name(), baking.size(), baking);
        moveLog.planControl(JournalEntry.PlanAction.APPROVED, Optional.of(wave), actor.name(),
                "approved by " + actor.name());
    }

    /** What, while present, keeps the plan from being resumed: the controller's lost database lock. */
    void blockedBy(Supplier<Optional<String>> reason) {
        this.blocked = reason;
    }

    private MoveStatus known(TenantId tenant, String what) {
        return board.status(tenant).orElseThrow(() -> new UserException(what + " refused: " + tenant
                + " is not part of the plan", "hikkoshi status lists the plan's tenants"));
    }

    private synchronized void pauseNow(Actor actor, String reason) {
        moveLog.planControl(JournalEntry.PlanAction.PAUSED, Optional.empty(), actor.name(), reason);
        pauseReason = Optional.of(reason);
        requests.paused(true);
        log.warn("plan paused by {}: {}", actor.name(), reason);
    }

    /** Whether the plan's waves are being walked now (paused or not). */
    public boolean running() {
        Future<?> w = walk;
        return w != null && !w.isDone();
    }

    private void startWalk() {
        currentWave = waves.isEmpty() ? Optional.empty() : Optional.of(waves.get(0).name());
        walk = threads.walk(this::walkPlan);
    }

    private void walkPlan() throws InterruptedException {
        for (PlanSettings.Wave wave : waves) {
            currentWave = Optional.of(wave.name());
            if (wave.tenants().stream().anyMatch(t -> !FINISHED.contains(attempts.get(t).state()))) {
                gate.awaitOpen(wave);
            }
            List<Future<?>> moves = new ArrayList<>();
            for (TenantId tenant : wave.tenants()) {
                if (!FINISHED.contains(attempts.get(tenant).state())) {
                    moves.add(threads.move(() -> drive(tenant, true)));
                }
            }
            for (Future<?> move : moves) {
                try {
                    move.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("the move thread failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            log.info("wave {} finished: {}", wave.name(), wave.tenants().stream()
                    .map(t -> t + " " + attempts.get(t).state()).collect(Collectors.joining(", ")));
        }
        currentWave = Optional.empty();
        log.info("plan finished");
    }

    /**
     * Drives a tenant's move to a finished state ({@code untilFinished}: again and again as later attempts after
     * setbacks, which pause the plan), or, for a move run aside, to its next stop point.
     */
    private Void drive(TenantId tenant, boolean untilFinished) throws InterruptedException {
        while (!claim(tenant)) {
            if (!untilFinished) {
                return null; // the runner that drives it picks the request up, or hands it on when it stops
            }
            Thread.sleep(20); // a resumed move or a rollback runs aside: the wave takes over when it stops
        }
        try {
            while (true) {
                if (untilFinished && attempts.get(tenant).state() == MoveState.PLANNED && window.isPresent()) {
                    window.get().awaitOpen(moveLog.clock()); // status says why nothing starts meanwhile
                }
                MoveAttempt start = attempts.get(tenant);
                MoveAttempt end = runner.run(start, replayed.remove(tenant));
                attempts.put(tenant, end);
                if (end.state() == MoveState.FAILED) {
                    pauseAfterSetback(tenant, MoveEvent.Severity.CRITICAL, setbacks.reason(tenant, "failed"));
                    return null;
                }
                if (end.state() != MoveState.PLANNED) {
                    return null;
                }
                if (setbacks.isSetAside(tenant)) {
                    String why = setbacks.reason(tenant, "rolled back");
                    if (afterRollback == AfterRollback.PAUSE) {
                        pauseAfterSetback(tenant, MoveEvent.Severity.WARNING, why);
                    } else {
                        board.publish(new MoveEvent.Notice(tenant, MoveEvent.Severity.WARNING, tenant + " " + why
                                + "; set aside until the next apply, the plan goes on", moveLog.clock().instant()));
                    }
                    return null;
                }
                pauseAfterSetback(tenant, MoveEvent.Severity.WARNING, end.attempt() == start.attempt()
                        ? board.status(tenant).flatMap(MoveStatus::problem).orElse("could not start")
                        : setbacks.reason(tenant, "went back to PLANNED"));
                if (!untilFinished) {
                    return null;
                }
            }
        } finally {
            synchronized (this) {
                active.remove(tenant);
                if (requests.rollbackPending(tenant) || requests.finalizePending(tenant)) {
                    runAsideIfIdle(tenant);
                }
            }
        }
    }

    private synchronized boolean claim(TenantId tenant) {
        return active.add(tenant);
    }

    /** Pauses the plan after a move's setback and tells the alert pipeline why. */
    private void pauseAfterSetback(TenantId tenant, MoveEvent.Severity severity, String why) {
        String reason = tenant + " " + why;
        pauseNow(SELF, reason);
        board.publish(new MoveEvent.Notice(tenant, severity, "plan paused: " + reason, moveLog.clock().instant()));
    }

    private void runAsideIfIdle(TenantId tenant) {
        if (!active.contains(tenant)) {
            threads.aside(() -> drive(tenant, false));
        }
    }

    /** A runner's own failure (the journal cannot be written): the plan stops here, and says so. */
    private synchronized void stopped(RuntimeException e) {
        log.error("the plan stopped: {}", e.getMessage(), e);
        pauseReason = Optional.of("the controller failed: " + e.getMessage());
        requests.paused(true);
    }

    /** The plan's waves as resolved, for status pages and tests. */
    public List<PlanSettings.Wave> waves() {
        return waves;
    }

    @Override
    public void close() {
        threads.close();
    }
}
