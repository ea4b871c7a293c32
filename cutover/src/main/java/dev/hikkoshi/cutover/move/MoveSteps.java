package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.cutover.routing.RouterFleet;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.stream.StreamRegistry;
import dev.hikkoshi.data.stream.StreamSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of a move, in process: built from the config (the sites' databases, the data scope, each site's
 * capture mode) and the routers to drive ({@link RouterControl}s: the in-process router of {@code hikkoshi run},
 * or one {@code HttpRouterControl} per router of {@code controller.routers}). The move runner looks a state's step
 * up with {@link #step} (or takes them all, {@link #steps}), uses {@link #refreeze} as its {@link Refreeze}, and
 * the controller calls {@link #keepStreams} for moves it resumes in BAKING or DONE (states without a step here
 * whose reverse sync must keep running). BAKING's step is the rollback line's, not built here. Closing stops every stream and
 * capture, then closes the databases.
 */
public final class MoveSteps implements AutoCloseable {
    private final MoveData data;
    private final RouterFleet fleet;
    private final StepContext ctx;
    private final Map<MoveState, MoveStep> steps = new EnumMap<>(MoveState.class);
    private final List<SiteDatabase> owned;

    public MoveSteps(MoveData data, RouterFleet fleet, MoveSettings settings, MoveHooks hooks) {
        this(data, fleet, settings, hooks, List.of());
    }

    private MoveSteps(MoveData data, RouterFleet fleet, MoveSettings settings, MoveHooks hooks, List<SiteDatabase> owned) {
        this.data = data;
        this.fleet = fleet;
        this.owned = List.copyOf(owned);
        this.ctx = new StepContext(data, fleet, settings, hooks);
        for (MoveStep s : List.of(new PlannedStep(ctx), new CopyingStep(ctx), new SyncedStep(ctx), new FrozenStep(ctx),
                new FinalSyncStep(ctx), new SwitchedStep(ctx), new AbortingStep(ctx), new RollbackFrozenStep(ctx),
                new RollbackSyncStep(ctx), new RolledBackStep(ctx), new FinalizedStep(ctx))) {
            steps.put(s.state(), s);
        }
    }

    /**
     * Binds the config ({@code sites}, {@code tenants}, {@code data}, {@code plan.freeze.max}, {@code state-dir};
     * every problem thrown at once), connects to every site's database and keeps the controller's routing table in
     * the state directory.
     */
    public static MoveSteps open(ConfigDocument document, List<RouterControl> routers, MoveHooks hooks) {
        CommonConfig common = CommonConfig.bind(document.root());
        DataConfig config = DataConfig.bind(document.root(), common);
        MoveSettings settings = MoveSettings.bind(document.root());
        document.throwIfProblems();
        return open(common, config, settings, routers, hooks);
    }

    /** As {@link #open(ConfigDocument, List, MoveHooks)}, from bound config (tests shorten the settings). */
    public static MoveSteps open(CommonConfig common, DataConfig config, MoveSettings settings,
                                 List<RouterControl> routers, MoveHooks hooks) {
        Map<SiteId, SiteDatabase> databases = new LinkedHashMap<>();
        List<SiteDatabase> opened = new ArrayList<>();
        RouterFleet fleet = null;
        try {
            for (DatabaseConfig db : config.databases().values()) {
                SiteDatabase site = SiteDatabase.open(db, 12);
                opened.add(site);
                databases.put(db.site(), site);
            }
            fleet = new RouterFleet(common.stateDir(), common.sites(), routers, settings.routerTimeout());
            MoveData data = new MoveData(common, config, databases, new StreamRegistry(), StreamSettings.defaults(),
                    CopySettings.of(config.copy()));
            return new MoveSteps(data, fleet, settings, hooks, opened);
        } catch (RuntimeException e) {
            if (fleet != null) {
                fleet.close();
            }
            opened.forEach(SiteDatabase::close);
            throw e;
        }
    }

    /**
     * Sizes each site's pool for {@code tenants} tenants moved {@code parallelMoves} at a time: a running move
     * copies with {@code copy.parallelism} connections on each side and needs a few more for its stream, its
     * verification and its position notes; every tenant may keep a stream (a connection on each side) and, on the
     * site it left, a bypass-write watch, as long as its reverse sync runs. With trigger capture each stream's and
     * each watch's drain holds a connection of its own on the site it reads. A pool too small for that makes moves
     * wait for connections and abort, so this is sized for the worst case; connections open only when used.
     */
    public void sizePools(int tenants, int parallelMoves) {
        boolean triggers = owned.stream().anyMatch(s -> s.config().capture() == CaptureMode.TRIGGERS);
        int connections = poolSize(tenants, parallelMoves, data.copySettings().parallelism(), triggers);
        for (SiteDatabase site : owned) {
            site.allowConnections(connections);
        }
    }

    /**
     * Connections a site's pool needs: per running move its copy's and four more; per tenant, on the site it left,
     * the watch's connection and the reverse stream's target one, and with trigger capture the watch's drain too
     * (the new site holds fewer: the reverse stream's source connection and its drain).
     */
    static int poolSize(int tenants, int parallelMoves, int copyParallelism, boolean triggers) {
        int perMove = copyParallelism + 4;
        int perTenant = triggers ? 3 : 2;
        return parallelMoves * perMove + perTenant * tenants + 4;
    }

    /**
     * The step of {@code state}; empty for BAKING (the rollback line's), DONE (the runner stops there) and FAILED.
     * FINALIZED's step is the clean-up the runner runs once after journaling DONE -> FINALIZED.
     */
    public Optional<MoveStep> step(MoveState state) {
        return Optional.ofNullable(steps.get(state));
    }

    /**
     * BAKING's step: {@code bake} (the rollback line's), with the reverse sync verified in full before DONE
     * ({@link VerifiedBake}).
     */
    public MoveStep verifyingReverseSync(MoveStep bake) {
        return new VerifiedBake(bake, ctx);
    }

    /**
     * The part of a DONE transition's {@code reason} saying that the reverse sync's verification before DONE had
     * to re-copy rows ({@code reverse sync: tenant verified in full ...: 1 row(s) ... were re-copied by key (...)}),
     * if it did.
     */
    public static Optional<String> reverseSyncRepair(String reason) {
        return VerifiedBake.reverseSyncRepair(reason);
    }

    /** Every step built here, for the move runner. */
    public List<MoveStep> steps() {
        return List.copyOf(steps.values());
    }

    /**
     * Freezes the tenant again where the controller's table places it, after a controller restart into a frozen
     * state (FROZEN, FINAL_SYNC, ROLLBACK_FROZEN, ROLLBACK_SYNC): the runner's re-freeze callback. Throws like a
     * freeze does when a router does not confirm.
     */
    public void refreeze(MoveAttempt attempt) {
        SiteId site = fleet.table().placement(attempt.tenant()).map(p -> p.site()).orElse(attempt.from());
        fleet.freeze(attempt.tenant(), site, ctx.settings().drainTimeout());
    }

    /**
     * Starts the streams the attempt's state needs if this process does not run them (after a restart): the
     * forward stream from SYNCED to FINAL_SYNC (COPYING starts it after its copy), the reverse one from SWITCHED
     * on and during a rollback, and the old site's bypass-write watch in BAKING and DONE.
     */
    public void keepStreams(MoveAttempt attempt) {
        var tenant = data.tenant(attempt.tenant(), attempt.from());
        switch (attempt.state()) {
            case SYNCED, FROZEN, FINAL_SYNC -> data.stream(tenant, attempt.from(), attempt.to(), false,
                    StepContext.noted(attempt, NoteKeys.FORWARD_POSITION));
            case BAKING, DONE -> {
                data.stream(tenant, attempt.to(), attempt.from(), true, StepContext.noted(attempt, NoteKeys.REVERSE_POSITION));
                ctx.watchOldSite(tenant, attempt);
            }
            case SWITCHED, ROLLBACK_FROZEN, ROLLBACK_SYNC -> data.stream(tenant, attempt.to(), attempt.from(),
                    true, StepContext.noted(attempt, NoteKeys.REVERSE_POSITION));
            case PLANNED, COPYING, ABORTING, ROLLED_BACK, FINALIZED, FAILED -> {
            }
        }
    }

    public RouterFleet fleet() {
        return fleet;
    }

    public MoveData data() {
        return data;
    }

    /** The controller's streams, as {@code StreamProgress} for the watch module and {@code hikkoshi status}. */
    public StreamRegistry streams() {
        return data.streams();
    }

    @Override
    public void close() {
        try {
            data.close();
        } finally {
            fleet.close();
            owned.forEach(SiteDatabase::close);
        }
    }
}
