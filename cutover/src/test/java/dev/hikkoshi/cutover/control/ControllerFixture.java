package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.ListedTenants;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalReplay;
import dev.hikkoshi.cutover.move.KeepStreams;
import dev.hikkoshi.cutover.move.MoveBoard;
import dev.hikkoshi.cutover.move.MoveLog;
import dev.hikkoshi.cutover.move.MoveRequests;
import dev.hikkoshi.cutover.move.MoveRunner;
import dev.hikkoshi.cutover.move.MoveStep;
import dev.hikkoshi.cutover.move.Refreeze;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import dev.hikkoshi.cutover.plan.Fingerprint;

/** A controller over a real journal in {@code stateDir}, scripted steps and a listed tenant directory. */
final class ControllerFixture implements AutoCloseable {
    static final ControllerOperations.Actor ALICE = new ControllerOperations.Actor("ops-alice");
    final Journal journal;
    final MoveBoard board = new MoveBoard();
    final MoveLog log;
    final MoveRequests requests = new MoveRequests();
    final Controller controller;

    ControllerFixture(Path stateDir, String planYaml, List<String> tenants, List<MoveStep> steps, Refreeze refreeze) {
        this(stateDir, planYaml, tenants, steps, refreeze, KeepStreams.NONE);
    }

    ControllerFixture(Path stateDir, String planYaml, List<String> tenants, List<MoveStep> steps, Refreeze refreeze,
                      KeepStreams keepStreams) {
        this(stateDir, planYaml, tenants, steps, refreeze, keepStreams, Clock.systemUTC(), Optional.empty(), null);
    }

    /**
     * With a clock, a start window and the differences a plan's fingerprint has from the world (null: plans are
     * refused, as by a controller that cannot check them).
     */
    ControllerFixture(Path stateDir, String planYaml, List<String> tenants, List<MoveStep> steps, Refreeze refreeze,
                      KeepStreams keepStreams, Clock clock, Optional<StartWindow> window,
                      Function<Fingerprint, List<String>> differences) {
        journal = Journal.openIn(stateDir);
        log = new MoveLog(journal, board, clock);
        ConfigDocument doc = ConfigDocument.parse(Path.of("test.yaml"), planYaml, Map.of());
        PlanSettings settings = PlanSettings.bind(doc.root().get("plan"));
        doc.throwIfProblems();
        List<Tenant> listed = new ArrayList<>();
        for (int i = 0; i < tenants.size(); i++) {
            listed.add(new Tenant(TenantId.of(tenants.get(i)), Integer.toString(i + 1)));
        }
        List<PlanSettings.Wave> waves = settings.resolve(new ListedTenants(listed), doc.file());
        MoveRunner runner = new MoveRunner(log, steps, refreeze, keepStreams, requests, Duration.ofMillis(5));
        SiteId legacy = SiteId.of("legacy");
        SiteId cloud = SiteId.of("cloud");
        controller = new Controller(waves, settings.parallelMoves(), legacy, cloud,
                JournalReplay.of(journal.file(), journal.replayed()), log, requests, runner,
                AfterRollback.bind(doc.root().get("plan")), window,
                differences == null ? PlanAdoption.refusing(legacy, cloud) : new PlanAdoption(legacy, cloud, differences));
    }

    MoveStatus status(String tenant) {
        return board.status(TenantId.of(tenant)).orElseThrow();
    }

    /** Waits (up to 10 s) until {@code condition} holds. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    void awaitState(String tenant, MoveState state, int attempt) throws InterruptedException {
        await(tenant + " " + state + " attempt " + attempt, () -> {
            MoveStatus s = status(tenant);
            return s.state() == state && s.attempt() == attempt;
        });
    }

    @Override
    public void close() {
        controller.close();
        journal.close();
    }
}
