package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.ListedTenants;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantDirectory;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.PlanSettings;
import dev.hikkoshi.cutover.move.MoveSettings;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.config.SitePair;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.tenant.TableTenants;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a {@link Plan} ({@code hikkoshi plan}): resolves the waves into tenant lists, leaves out tenants that need
 * no move (already on the target site, or past their switch in the journal), sizes the others on the source, takes
 * a {@link ThroughputSample} (measured by {@link ThroughputProbe}, or given), estimates each move
 * ({@link MoveEstimator}), refuses those whose freeze cannot fit {@code plan.freeze.max}, runs the
 * {@link Preflight} in both directions and captures the {@link Fingerprint}. Moves go from the first site with a
 * database to the second, as the controller's do. Closing closes the databases it opened.
 */
public final class Planner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Planner.class);

    private final CommonConfig common;
    private final DataConfig data;
    private final PlanSettings settings;
    private final MoveSettings moves;
    private final RollbackLineConfig line;
    private final Map<SiteId, SiteDatabase> databases;
    private final Path configFile;
    private final Clock clock;

    private Planner(CommonConfig common, DataConfig data, PlanSettings settings, MoveSettings moves,
                    RollbackLineConfig line, Map<SiteId, SiteDatabase> databases, Path configFile, Clock clock) {
        this.common = common;
        this.data = data;
        this.settings = settings;
        this.moves = moves;
        this.line = line;
        this.databases = databases;
        this.configFile = configFile;
        this.clock = clock;
    }

    /**
     * Binds what a plan reads ({@code sites}, {@code tenants}, {@code data}, {@code plan.waves},
     * {@code plan.parallel-moves}, {@code plan.freeze.max}, {@code plan.rollback-line}, {@code state-dir}; every
     * problem thrown at once) and connects to every site's database.
     */
    public static Planner open(ConfigDocument document, Clock clock) {
        ConfigNode root = document.root();
        CommonConfig common = CommonConfig.bind(root);
        DataConfig data = DataConfig.bind(root, common);
        PlanSettings settings = PlanSettings.bind(root.get("plan"));
        MoveSettings moves = MoveSettings.bind(root);
        Optional<RollbackLineConfig> line = RollbackLineConfig.bind(root.get("plan").get("rollback-line"));
        document.throwIfProblems();
        data.sites(Optional.empty(), Optional.empty());
        Map<SiteId, SiteDatabase> databases = new LinkedHashMap<>();
        try {
            for (DatabaseConfig db : data.databases().values()) {
                databases.put(db.site(), SiteDatabase.open(db, 4));
            }
        } catch (RuntimeException e) {
            databases.values().forEach(SiteDatabase::close);
            throw e;
        }
        return new Planner(common, data, settings, moves, line.orElseThrow(), databases, document.file(), clock);
    }

    public RollbackLineConfig rollbackLine() {
        return line;
    }

    /**
     * The plan, with {@code given}'s estimates if present, else with a throughput measured now by copying a bounded
     * sample of the largest planned tenant's rows to a scratch schema on the target; {@code routers}' traffic
     * flags tenants with long-lived requests.
     */
    public Plan plan(Optional<ThroughputSample> given, RouterReadings routers) throws InterruptedException {
        SitePair pair = data.sites(Optional.empty(), Optional.empty());
        SiteId from = pair.source().site();
        SiteId to = pair.target().site();
        SiteScopes scopes = new SiteScopes(data, this::database);
        TenantDirectory directory = directory(from);
        List<PlanSettings.Wave> waves = settings.resolve(directory, configFile);
        FingerprintReader reader = new FingerprintReader(common, scopes, directory, Fingerprint.Tolerance.DEFAULT);
        Map<TenantId, SiteId> placements = reader.placements();
        Map<TenantId, MoveState> journal = JournalStates.read(common.stateDir());

        List<SkippedTenant> skipped = new ArrayList<>();
        Map<String, List<Tenant>> toSize = new LinkedHashMap<>();
        for (PlanSettings.Wave w : waves) {
            List<Tenant> tenants = new ArrayList<>();
            for (TenantId t : w.tenants()) {
                Optional<String> skip = skipReason(placements.get(t), journal.get(t), from, to);
                if (skip.isPresent()) {
                    skipped.add(new SkippedTenant(t, w.name(), skip.get()));
                } else {
                    tenants.add(directory.find(t).orElseThrow());
                }
            }
            toSize.put(w.name(), tenants);
        }
        if (toSize.values().stream().allMatch(List::isEmpty)) {
            throw nothingToPlan(skipped, to);
        }
        TenantScope forward = scopes.report(from, to).orThrow();
        TenantSizer sizer = new TenantSizer(database(from), forward);
        Map<TenantId, TenantSizer.TenantSize> sizes = new LinkedHashMap<>();
        toSize.values().forEach(ts -> ts.forEach(t -> sizes.put(t.id(), sizer.size(t))));

        ThroughputSample sample = given.isPresent() ? given.get() : measure(scopes, directory, forward, sizes, sizer);
        CaptureMode capture = database(from).config().capture();
        MoveEstimator estimator = new MoveEstimator(sample, capture, moves.finalSyncOverhead(capture), moves.freezeMax());
        List<PlannedWave> planned = new ArrayList<>();
        List<RefusedTenant> refused = new ArrayList<>();
        List<Tenant> plannedTenants = new ArrayList<>();
        Map<TenantId, Long> plannedRows = new LinkedHashMap<>();
        for (PlanSettings.Wave w : waves) {
            List<PlannedMove> waveMoves = new ArrayList<>();
            for (Tenant t : toSize.get(w.name())) {
                TenantSizer.TenantSize size = sizes.get(t.id());
                PlannedMove move = estimator.estimate(t.id(), size.rows(), size.bytes());
                String refusal = estimator.refusal(move);
                if (refusal != null) {
                    refused.add(new RefusedTenant(t.id(), w.name(), refusal));
                } else {
                    waveMoves.add(move);
                    plannedTenants.add(t);
                    plannedRows.put(t.id(), size.rows());
                }
            }
            planned.add(new PlannedWave(w.name(), w.gate(), waveMoves));
        }
        List<PreflightFinding> preflight = new Preflight(scopes, from, to,
                new LongRequestCheck(routers, moves.drainTimeout())).run(plannedTenants);
        Fingerprint fingerprint = reader.read(placements, plannedRows);
        Plan plan = Plan.of(clock.instant(), from, to, moves.freezeMax(), planned, skipped, refused, preflight, sample,
                fingerprint);
        log.info("plan {}: {} tenants in {} waves, {} skipped, {} refused", plan.id(), plannedTenants.size(),
                planned.size(), skipped.size(), refused.size());
        return plan;
    }

    private static UserException nothingToPlan(List<SkippedTenant> skipped, SiteId to) {
        if (skipped.isEmpty()) {
            return new UserException("nothing to plan: the waves hold no tenants",
                    "list the tenants in the config's tenants section and name them in plan.waves");
        }
        SkippedTenant first = skipped.get(0);
        return new UserException("nothing to plan: each of the " + skipped.size() + " tenants of the waves is already"
                + " on " + to + ", in a move or failed (" + first.tenant() + ": " + first.reason()
                + (skipped.size() > 1 ? "; ..." : "") + ")",
                "hikkoshi status shows each tenant's move; name other tenants in plan.waves to plan them");
    }

    /** Why a tenant needs no move, from where it is placed and its journaled state; empty: it is planned. */
    static Optional<String> skipReason(SiteId placed, MoveState state, SiteId from, SiteId to) {
        if (state != null) {
            switch (state) {
                case SWITCHED, BAKING, DONE, FINALIZED:
                    return Optional.of(state + " in the journal: already moved to " + to);
                case COPYING, SYNCED, FROZEN, FINAL_SYNC, ABORTING, ROLLBACK_FROZEN, ROLLBACK_SYNC:
                    return Optional.of("in the middle of a move (" + state + " in the journal):"
                            + " hikkoshi apply --resume continues it");
                case FAILED:
                    return Optional.of("FAILED in the journal: a human must look (hikkoshi status)");
                case PLANNED, ROLLED_BACK:
                    break;
            }
        }
        if (placed != null && placed.equals(to)) {
            return Optional.of("already on " + to);
        }
        if (placed != null && !placed.equals(from)) {
            return Optional.of("on site " + placed + ", neither " + from + " nor " + to);
        }
        return Optional.empty();
    }

    private ThroughputSample measure(SiteScopes scopes, TenantDirectory directory, TenantScope forward,
                                     Map<TenantId, TenantSizer.TenantSize> sizes, TenantSizer sizer)
            throws InterruptedException {
        Optional<Map.Entry<TenantId, TenantSizer.TenantSize>> largest = sizes.entrySet().stream()
                .max(Comparator.comparingLong(e -> e.getValue().rows()));
        if (largest.isEmpty() || largest.get().getValue().rows() == 0) {
            throw new UserException("cannot measure the copy throughput: no planned tenant has rows to copy",
                    "give a sample with --throughput-sample ROWS_PER_S,BYTES_PER_S, or check the waves and the tenants");
        }
        SitePair pair = data.sites(Optional.empty(), Optional.empty());
        SiteId from = pair.source().site();
        SiteId to = pair.target().site();
        ThroughputProbe probe = new ThroughputProbe(database(from), database(to), forward, scopes.schema(to),
                CopySettings.of(data.copy()));
        return probe.measure(directory.find(largest.get().getKey()).orElseThrow(), largest.get().getValue(), sizer);
    }

    private TenantDirectory directory(SiteId readFrom) {
        return common.tenants().fromTable().<TenantDirectory>map(t -> TableTenants.load(database(readFrom), t))
                .orElseGet(() -> new ListedTenants(common.tenants().list()));
    }

    private SiteDatabase database(SiteId site) {
        SiteDatabase db = databases.get(site);
        if (db == null) {
            throw new UserException("site " + site + " has no database in the config",
                    "add sites." + site + ".database with url, user and password-env");
        }
        return db;
    }

    @Override
    public void close() {
        databases.values().forEach(SiteDatabase::close);
    }
}
