package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.cutover.guard.SplitBrainGuard;
import dev.hikkoshi.cutover.hook.HookPoint;
import dev.hikkoshi.cutover.hook.HookRunner;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalReplay;
import dev.hikkoshi.cutover.lock.ControllerLocks;
import dev.hikkoshi.cutover.move.MoveBoard;
import dev.hikkoshi.cutover.move.MoveData;
import dev.hikkoshi.cutover.move.MoveHooks;
import dev.hikkoshi.cutover.move.MoveLog;
import dev.hikkoshi.cutover.move.MoveRequests;
import dev.hikkoshi.cutover.move.MoveRunner;
import dev.hikkoshi.cutover.move.MoveStep;
import dev.hikkoshi.cutover.plan.Fingerprint;
import dev.hikkoshi.cutover.plan.FingerprintReader;
import dev.hikkoshi.cutover.move.MoveSteps;
import dev.hikkoshi.cutover.move.SharedTableSync;
import dev.hikkoshi.cutover.rollback.BakeStep;
import dev.hikkoshi.cutover.rollback.BaselineStep;
import dev.hikkoshi.cutover.safety.AutoIncrementCheck;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig;
import dev.hikkoshi.cutover.rollback.VerdictJournal;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.SitePair;
import dev.hikkoshi.router.admin.AdminSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import dev.hikkoshi.router.admin.AdminEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller, wired from the config: the move steps over the sites' databases and the routers given, the
 * rollback line's bake step, hooks, the journal and its runner, the plan's waves, and the admin API. Used by
 * {@code hikkoshi run} (one in-process router) and {@code hikkoshi controller} (the routers of
 * {@code controller.routers}, over their admin APIs). Closing stops the plan, the admin API, the streams and the
 * journal, in that order.
 */
public final class ControllerProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerProcess.class);

    private final MoveSteps steps;
    private final Journal journal;
    private final MoveBoard board;
    private final Controller controller;
    private final ControllerAdminServer admin;
    private final ExecutorService hookThread;
    private final List<AutoCloseable> listeners;
    private final ControllerLocks locks;

    private ControllerProcess(MoveSteps steps, Journal journal, MoveBoard board, Controller controller,
                              ControllerAdminServer admin, ExecutorService hookThread, List<AutoCloseable> listeners,
                              ControllerLocks locks) {
        this.locks = locks;
        this.steps = steps;
        this.journal = journal;
        this.board = board;
        this.controller = controller;
        this.admin = admin;
        this.hookThread = hookThread;
        this.listeners = listeners;
    }

    /**
     * Binds every section the controller reads ({@code sites}, {@code tenants}, {@code data}, {@code plan},
     * {@code controller.admin}; every problem at once), connects to the databases, replays the journal and starts
     * the admin API; a plan applied before a restart resumes by itself.
     *
     * @param routers the routers to drive; {@code traffic}: their traffic windows, for the rollback line
     */
    public static ControllerProcess start(ConfigDocument document, Path configFile, List<RouterControl> routers,
                                          List<? extends TrafficWindow> traffic, PrometheusMeterRegistry registry,
                                          Clock clock) {
        return start(document, configFile, routers, traffic, registry, clock, audit -> List.of());
    }

    /** As above, with endpoints added to the admin API (see {@link ControllerAdminServer}). */
    public static ControllerProcess start(ConfigDocument document, Path configFile, List<RouterControl> routers,
                                          List<? extends TrafficWindow> traffic, PrometheusMeterRegistry registry,
                                          Clock clock,
                                          Function<AuditLog, List<AdminEndpoints>> adminExtensions) {
        ConfigNode root = document.root();
        CommonConfig common = CommonConfig.bind(root);
        DataConfig data = DataConfig.bind(root, common);
        PlanSection planSection = PlanSection.bind(root);
        Optional<AdminSettings> adminSettings = ControllerAdminConfig.settings(root.get("controller").get("admin"));
        HoldMarginCheck.check(root, planSection.move().freezeMax());
        document.throwIfProblems();
        SitePair sites = data.sites(Optional.empty(), Optional.empty());
        SiteId from = sites.source().site();
        SiteId to = sites.target().site();
        LockLossPause lockLoss = new LockLossPause();
        ControllerLocks locks = ControllerLocks.acquire(common.stateDir(), sites.target(), lockLoss);
        try {
            return start(document, configFile, routers, traffic, registry, clock, adminExtensions,
                    new Bound(common, data, planSection, adminSettings.orElseThrow(), from, to), locks, lockLoss);
        } catch (RuntimeException e) {
            locks.close();
            throw e;
        }
    }

    private static ControllerProcess start(ConfigDocument document, Path configFile, List<RouterControl> routers,
                                           List<? extends TrafficWindow> traffic, PrometheusMeterRegistry registry,
                                           Clock clock, Function<AuditLog, List<AdminEndpoints>> adminExtensions,
                                           Bound config, ControllerLocks locks, LockLossPause lockLoss) {
        CommonConfig common = config.common();
        DataConfig data = config.data();
        PlanSettings plan = config.plan().waves();
        Optional<RollbackLineConfig> line = config.plan().rollbackLine();
        SiteId from = config.from();
        SiteId to = config.to();

        HookRunner hookRunner = new HookRunner(config.plan().hooks());
        // The hook needs the tenant's database id, which the steps' data engine knows: set once they exist.
        AtomicReference<MoveSteps> built = new AtomicReference<>();
        // Bypass writes reach the guard once the admin API (through which it pauses the plan) is up; a write seen
        // before that is logged by the steps and still pauses nothing, which cannot happen before any switch.
        AtomicReference<SplitBrainGuard> splitBrain = new AtomicReference<>();
        AtomicReference<RollbackLoss> loss = new AtomicReference<>();
        MoveHooks moveHooks = MoveHooks.NONE.withBeforeFreeze(attempt -> {
                    // Ids must never collide between sites once writes land on both: checked from fresh sessions
                    // before anyone is held, so a refusal aborts the move without a freeze (hint: the settings).
                    MoveData moveData = built.get().data();
                    new AutoIncrementCheck(AutoIncrementCheck.Side.of(moveData.database(attempt.from())),
                            AutoIncrementCheck.Side.of(moveData.database(attempt.to())))
                            .check(moveData.scopeTables(attempt.from(), attempt.to()));
                    hookRunner.runOrThrow(HookPoint.BEFORE_FREEZE, moveData.tenant(attempt.tenant(), attempt.from()),
                            attempt.from(), attempt.to());
                })
                .withBypassListener(write -> {
                    Optional.ofNullable(loss.get()).ifPresent(l -> l.bypassWrite(write));
                    SplitBrainGuard guard = splitBrain.get();
                    if (guard != null) {
                        guard.accept(write);
                    }
                });
        MoveSteps steps = MoveSteps.open(document, routers, moveHooks);
        built.set(steps);
        Journal journal = null;
        ControllerAdminServer admin = null;
        SharedTableSync shared = null;
        try {
            journal = Journal.openIn(common.stateDir());
            JournalReplay replay = JournalReplay.of(journal.file(), journal.replayed());
            MoveBoard board = new MoveBoard();
            MoveLog moveLog = new MoveLog(journal, board, clock);
            MoveRequests requests = new MoveRequests();
            List<MoveStep> all = new ArrayList<>();
            for (MoveStep step : steps.steps()) {
                // the rollback line's baseline is measured as a move leaves PLANNED, before the tenant does
                all.add(step.state() == MoveState.PLANNED
                        ? new BaselineStep(step, line.orElseThrow(), traffic, board::publish, clock) : step);
            }
            VerdictJournal verdicts = new VerdictJournal() {
                @Override
                public void append(MoveEvent.Verdict verdict) {
                    moveLog.append(verdict);
                }

                @Override
                public List<MoveEvent.Verdict> verdicts(dev.hikkoshi.core.tenant.TenantId tenant, int attempt) {
                    return moveLog.verdicts(tenant, attempt);
                }
            };
            all.add(steps.verifyingReverseSync(new BakeStep(line.orElseThrow(), traffic, verdicts,
                    attempt -> moveLog.approval(attempt).isPresent(), board::publish, clock)));
            MoveRunner runner = new MoveRunner(moveLog, all, steps::refreeze, steps::keepStreams, requests,
                    Duration.ofMillis(500));
            List<PlanSettings.Wave> waves = plan.resolve(steps.data().directory(from), configFile);
            steps.sizePools(waves.stream().mapToInt(w -> w.tenants().size()).sum(), plan.parallelMoves());
            FingerprintReader fingerprints = new FingerprintReader(common, data, steps.data()::database,
                    steps.data().directory(from), Fingerprint.Tolerance.DEFAULT);
            Controller controller = new Controller(waves, plan.parallelMoves(), from, to, replay, moveLog, requests, runner,
                    config.plan().afterRollback(), config.plan().startWindow(),
                    new PlanAdoption(from, to, fingerprints::differences));
            ExecutorService hookThread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "hikkoshi-hooks");
                t.setDaemon(true);
                return t;
            });
            AutoCloseable hookSubscription = board.subscribe(event -> afterHooks(event, hookRunner, steps, from, to,
                    hookThread, board, clock));
            loss.set(new RollbackLoss(steps.streams(), new SkippedTableRows(steps.data(), data.tenantColumn(), clock)));
            AutoCloseable lossSubscription = board.subscribe(loss.get());
            TenantPurge purge = new TenantPurge(board::status, t -> steps.fleet().table().placement(t),
                    common.sites(), steps.data());
            shared = new SharedTableSync(steps.data(), from, to, common.stateDir(), moveHooks.onBypassWrite(),
                    Duration.ofSeconds(30), clock);
            admin = ControllerAdminServer.start(config.admin(),
                    new SiteDataOperations(new LossReportingOperations(controller, loss.get()), purge, shared),
                    Optional.of(board),
                    common.stateDir(), registry, clock, adminExtensions);
            ControllerOperations audited = admin.operations();
            splitBrain.set(new SplitBrainGuard(board::publish, reason -> pauseFor(audited, reason)));
            controller.blockedBy(lockLoss::blocked);
            lockLoss.operations(audited);
            // After the guard: a write on a shared table's non-writer site pauses the plan at once.
            SharedSyncStart sharedStart = new SharedSyncStart(shared, Duration.ofSeconds(30)).begin();
            controller.start();
            List<AutoCloseable> running = new ArrayList<>(List.of(hookSubscription, lossSubscription, sharedStart,
                    shared));
            config.plan().retention().ifPresent(r -> running.add(new RetentionSweep(audited, r, clock).start()));
            log.info("controller ready: {} waves, admin API on {}", waves.size(), admin.url());
            return new ControllerProcess(steps, journal, board, controller, admin, hookThread, running, locks);
        } catch (RuntimeException e) {
            if (shared != null) {
                shared.close();
            }
            if (admin != null) {
                admin.close();
            }
            if (journal != null) {
                journal.close();
            }
            steps.close();
            throw e;
        }
    }

    /** The config sections the controller runs on, bound and checked, and the direction of its moves. */
    private record Bound(CommonConfig common, DataConfig data, PlanSection plan, AdminSettings admin, SiteId from,
                         SiteId to) {
    }

    /** Pauses the plan for a split-brain; one already paused (by a setback or an operator) stays paused. */
    private static void pauseFor(ControllerOperations operations, String reason) {
        try {
            operations.pause(new ControllerOperations.Actor("split-brain-watch"), reason);
        } catch (dev.hikkoshi.core.UserException alreadyPaused) {
            log.warn("{} (the plan was already paused: {})", reason, alreadyPaused.getMessage());
        }
    }

    /** After-switch and after-rollback hooks run beside the move (they never hold it); a failure is a notice. */
    private static void afterHooks(MoveEvent event, HookRunner hooks, MoveSteps steps, SiteId from, SiteId to,
                                   ExecutorService thread, MoveBoard board, Clock clock) {
        if (!(event instanceof MoveEvent.Transition t)) {
            return;
        }
        HookPoint point = t.to() == MoveState.BAKING && t.from() == MoveState.SWITCHED ? HookPoint.AFTER_SWITCH
                : t.to() == MoveState.ROLLED_BACK ? HookPoint.AFTER_ROLLBACK : null;
        if (point == null) {
            return;
        }
        thread.execute(() -> {
            try {
                hooks.run(point, steps.data().tenant(t.tenant(), from), from, to).filter(r -> !r.succeeded())
                        .ifPresent(r -> board.publish(new MoveEvent.Notice(t.tenant(), MoveEvent.Severity.WARNING,
                                r.failure().orElse(point.spelling() + " hook failed"), clock.instant())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("{} hook of {} could not run: {}", point.spelling(), t.tenant(), e.toString());
            }
        });
    }

    public ControllerOperations operations() {
        return admin.operations();
    }

    public Controller controller() {
        return controller;
    }

    public MoveBoard board() {
        return board;
    }

    public MoveSteps steps() {
        return steps;
    }

    public java.net.URI adminUrl() {
        return admin.url();
    }

    @Override
    public void close() {
        try {
            // The retention sweep first: it must not ask a controller that is stopping to finalize.
            listeners.forEach(ControllerProcess::closeQuietly);
            controller.close();
        } finally {
            hookThread.shutdownNow();
            admin.close();
            steps.close();
            try {
                journal.close();
            } finally {
                locks.close(); // last: nothing of this controller touches the state dir or the sites any more
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("closing {}: {}", c, e.toString());
        }
    }
}
