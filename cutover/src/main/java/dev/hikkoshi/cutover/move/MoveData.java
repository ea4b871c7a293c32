package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.tenant.ListedTenants;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantDirectory;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopyCheckpoints;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyJob;
import dev.hikkoshi.data.copy.CopyResult;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.ScopeCopy;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.scope.ScopeResolver;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.data.stream.BypassWatch;
import dev.hikkoshi.data.stream.StreamCheckpoints;
import dev.hikkoshi.data.stream.StreamRegistry;
import dev.hikkoshi.data.stream.StreamSettings;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.data.tenant.TableTenants;
import dev.hikkoshi.data.verify.RowDifference;
import dev.hikkoshi.data.verify.RowRepairer;
import dev.hikkoshi.data.verify.TableToVerify;
import dev.hikkoshi.data.verify.Verifier;
import dev.hikkoshi.data.verify.VerifyTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data engine as the move steps use it, for any tenant and any pair of sites: the sites' databases, each
 * direction's checked scope, the captures ({@link SiteCaptures}), the copy and the forward and reverse streams
 * (kept in a {@link StreamRegistry}, which is also the controller's {@code StreamProgress}). Every operation is
 * idempotent: a stream already running is returned, not started twice; a stream restarts from the checkpoint it
 * keeps on its target; a copy resumes from its checkpoints. Built by {@link MoveSteps}; closing it stops every
 * stream and capture (their checkpoints stay) but not the databases, which the caller owns.
 */
public final class MoveData implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MoveData.class);
    private final CommonConfig common;
    private final DataConfig config;
    private final Map<SiteId, SiteDatabase> databases;
    private final StreamRegistry registry;
    private final StreamSettings streamSettings;
    private final CopySettings copySettings;
    private final SiteCaptures captures = new SiteCaptures();
    private final Map<String, Direction> directions = new ConcurrentHashMap<>();
    private final Map<TenantId, BypassWatch> watches = new ConcurrentHashMap<>();
    /** The monitor of each stream's start (see {@link #stream}). */
    private final Map<StreamId, Object> starting = new ConcurrentHashMap<>();
    private volatile TenantDirectory tenants;

    /** One direction's checked scope and the target's schema, inspected once. */
    private record Direction(TenantScope scope, Schema targetSchema) {
    }

    public MoveData(CommonConfig common, DataConfig config, Map<SiteId, SiteDatabase> databases,
                    StreamRegistry registry, StreamSettings streamSettings, CopySettings copySettings) {
        this.common = Objects.requireNonNull(common, "common");
        this.config = Objects.requireNonNull(config, "config");
        this.databases = Map.copyOf(databases);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.streamSettings = Objects.requireNonNull(streamSettings, "streamSettings");
        this.copySettings = Objects.requireNonNull(copySettings, "copySettings");
    }

    /** How tenants' rows are copied (its parallelism sizes the pools). */
    public CopySettings copySettings() {
        return copySettings;
    }

    /** The streams of this controller, for {@code StreamProgress}. */
    public StreamRegistry streams() {
        return registry;
    }

    /** The tenants of the config: its list, or its tenants table read from {@code readFrom} (once). */
    public TenantDirectory directory(SiteId readFrom) {
        TenantDirectory dir = tenants;
        if (dir == null) {
            dir = common.tenants().fromTable().<TenantDirectory>map(t -> TableTenants.load(database(readFrom), t))
                    .orElseGet(() -> new ListedTenants(common.tenants().list()));
            tenants = dir;
        }
        return dir;
    }

    /** The tenant's database id and name; a tenant the config does not know is a user error. */
    public Tenant tenant(TenantId id, SiteId readFrom) {
        return directory(readFrom).find(id).orElseThrow(() -> new UserException("unknown tenant " + id,
                "add it to the config's tenants section (or the tenants table), then plan the move again"));
    }

    /** The site's database; a site without one is a user error. */
    public SiteDatabase database(SiteId site) {
        SiteDatabase db = databases.get(site);
        if (db == null) {
            throw new UserException("site " + site + " has no database in the config",
                    "add sites." + site + ".database with url, user and password-env");
        }
        return db;
    }

    private Direction direction(SiteId source, SiteId target) {
        return directions.computeIfAbsent(source + ">" + target, k -> {
            SiteDatabase s = database(source);
            SiteDatabase t = database(target);
            Schema targetSchema = t.inspector().inspect(t.schema());
            TenantScope scope = new ScopeResolver(config, s.config(), s.inspector().inspect(s.schema()),
                    Optional.of(targetSchema), t.serverInfo()).resolve().orThrow();
            return new Direction(scope, targetSchema);
        });
    }

    /** The names of the tables in the tenant scope from {@code source} to {@code target}. */
    public List<String> scopeTables(SiteId source, SiteId target) {
        return scope(source, target).tables().stream().map(t -> t.name()).toList();
    }

    /** The tables the move from {@code source} to {@code target} skips (out of scope: never copied nor synced). */
    public List<String> skippedTables(SiteId source, SiteId target) {
        return scope(source, target).skipped();
    }

    TenantScope scope(SiteId source, SiteId target) {
        return direction(source, target).scope();
    }

    /** {@code target}'s schema as inspected for the direction from {@code source}. */
    Schema targetSchema(SiteId source, SiteId target) {
        return direction(source, target).targetSchema();
    }

    StreamSettings streamSettings() {
        return streamSettings;
    }

    /** The capture that reads {@code source}'s changes for {@code tenant}'s stream to {@code target}. */
    ChangeCapture capture(Tenant tenant, SiteId source, SiteId target) {
        Direction d = direction(source, target);
        return captures.of(database(source), database(target), d.scope(), d.targetSchema(), tenant);
    }

    /** {@code source}'s change position now (triggers are installed first, so nothing after it is missed). */
    CapturePosition position(Tenant tenant, SiteId source, SiteId target) {
        return capture(tenant, source, target).currentPosition();
    }

    /**
     * {@code source}'s change position now, noted for the tenant's stream from {@code source} to {@code target}
     * that starts from it later (the forward stream after the copy, the reverse one after the switch): the capture
     * keeps every change after it for that stream ({@link ChangeCapture#notePosition}).
     */
    CapturePosition noteStreamStart(Tenant tenant, SiteId source, SiteId target, boolean reverse) {
        return notePosition(tenant, source, target, setup(tenant, source, target, reverse).name());
    }

    /** As {@link #noteStreamStart}, for the watch of the old site {@code from} that starts at the switch. */
    CapturePosition noteWatchStart(Tenant tenant, SiteId from, SiteId to) {
        return notePosition(tenant, from, to, BypassWatch.consumer(setup(tenant, from, to, false)));
    }

    /** {@code source}'s change position now, held for {@code consumer} ({@link ChangeCapture#notePosition}). */
    CapturePosition notePosition(Tenant tenant, SiteId source, SiteId target, String consumer) {
        Direction d = direction(source, target);
        return captures.note(database(source), database(target), d.scope(), d.targetSchema(), tenant, consumer);
    }

    /**
     * Forgets what the tenant's streams and watch between {@code from} and {@code to} hold in the sites' change
     * logs (trigger capture): they will not read again (the move ended, or its next attempt notes new positions).
     * Best effort (see {@link #forgetConsumer}).
     */
    void forgetConsumers(Tenant tenant, SiteId from, SiteId to) {
        forgetConsumer(from, () -> scope(from, to), () -> setup(tenant, from, to, false).name());
        forgetConsumer(from, () -> scope(from, to), () -> BypassWatch.consumer(setup(tenant, from, to, false)));
        forgetConsumer(to, () -> scope(to, from), () -> setup(tenant, to, from, true).name());
    }

    /**
     * Forgets {@code consumer} of {@code site}'s trigger change log; nothing for the other captures, whose scope and
     * names are then never worked out. Best effort: a failure is logged, and the consumer keeps holding the purge
     * (and the capture at finalize) until a later PLANNED or finalize forgets it. A step that only tidies up must not
     * fail a move over it, nor hold a frozen tenant.
     */
    void forgetConsumer(SiteId site, java.util.function.Supplier<TenantScope> scope,
                        java.util.function.Supplier<String> consumer) {
        SiteDatabase db = database(site);
        if (db.config().capture() != CaptureMode.TRIGGERS) {
            return;
        }
        try {
            captures.forget(db, scope.get(), consumer.get());
        } catch (RuntimeException e) {
            log.warn("could not forget a change-log consumer on {} ({}); it holds that log's purge until a later"
                    + " attempt or finalize forgets it", db.describe(), e.getMessage());
        }
    }

    /** The stream of {@code tenant} from {@code source} to {@code target} (its id). */
    static StreamId streamId(TenantId tenant, SiteId source, SiteId target) {
        return new StreamId(tenant, source, target);
    }

    private TenantStream.Setup setup(Tenant tenant, SiteId source, SiteId target, boolean reverse) {
        Direction d = direction(source, target);
        SiteDatabase s = database(source);
        return new TenantStream.Setup(streamId(tenant.id(), source, target), ScopeCopy.endpoint(s),
                ScopeCopy.endpoint(database(target)), d.scope(), d.targetSchema(), tenant.databaseId(),
                s.config()::charsetOverride, reverse, streamSettings);
    }

    /**
     * Forgets what an earlier attempt left between {@code from} and {@code to}: stops its streams, deletes their
     * checkpoints (forward on {@code to}, reverse on {@code from}) and the copy's, and removes the tenant's rows
     * from {@code to}. Idempotent.
     */
    Map<String, Long> forgetEarlierAttempts(Tenant tenant, SiteId from, SiteId to, String writer) {
        stop(tenant.id(), from, to);
        stop(tenant.id(), to, from);
        SiteDatabase target = database(to);
        SiteDatabase source = database(from);
        new CopyCheckpoints(CopyJob.jobName(source.schema(), target.schema(), tenant.id().value()))
                .reset(target.dataSource(), target.describe());
        forgetCheckpoint(setup(tenant, from, to, false), target);
        forgetCheckpoint(setup(tenant, to, from, true), source);
        forgetConsumers(tenant, from, to);
        forgetWatchPosition(tenant, from, to);
        return TenantRowsRemoval.remove(target, scope(from, to), tenant.databaseId(), writer);
    }

    private static void forgetCheckpoint(TenantStream.Setup setup, SiteDatabase on) {
        try (Connection c = on.dataSource().getConnection()) {
            c.setAutoCommit(true);
            StreamCheckpoints.forget(c, setup.name());
        } catch (SQLException e) {
            throw new DatabaseException("forgetting the checkpoint of stream " + setup.id(), on.describe(), e);
        }
    }

    /** Copies the tenant's rows, resuming this attempt's copy checkpoints. */
    CopyResult copy(Tenant tenant, SiteId from, SiteId to) throws InterruptedException {
        Direction d = direction(from, to);
        return ScopeCopy.tenant(d.scope(), d.targetSchema(), database(from), database(to), tenant, copySettings,
                CopyHooks.NONE).run();
    }

    /** The stream from {@code source} to {@code target} if this process runs it (in any state but closed). */
    Optional<TenantStream> running(TenantId tenant, SiteId source, SiteId target) {
        return registry.get(streamId(tenant, source, target)).filter(s -> s.state() != StreamState.CLOSED);
    }

    /**
     * The stream from {@code source} to {@code target}, started if this process does not run it yet: from its
     * checkpoint on the target if it has one, else from {@code start}.
     */
    TenantStream stream(Tenant tenant, SiteId source, SiteId target, boolean reverse, CapturePosition start) {
        Optional<TenantStream> found = running(tenant.id(), source, target);
        if (found.isPresent()) {
            return found.get();
        }
        // One start per stream at a time, but streams of different tenants start in parallel: a start opens
        // connections, reads the tenant's parent keys and subscribes to a capture (which may reconnect), and a
        // switching tenant's reverse stream starts inside its freeze; under one lock for all, the switches of
        // tenants moved together waited for each other's (seen in bench/cutover.sh: 1.3 s of one tenant's hold).
        synchronized (starting.computeIfAbsent(streamId(tenant.id(), source, target), k -> new Object())) {
            found = running(tenant.id(), source, target);
            if (found.isPresent()) {
                return found.get();
            }
            TenantStream stream = TenantStream.start(setup(tenant, source, target, reverse),
                    capture(tenant, source, target), start);
            registry.add(stream);
            return stream;
        }
    }

    /**
     * Forgets the forward stream's hold on the old site's change log after the switch: no later state reads it again
     * (the watch that follows holds its own position). Best effort.
     */
    void forgetForward(Tenant tenant, SiteId from, SiteId to) {
        forgetConsumer(from, () -> scope(from, to), () -> setup(tenant, from, to, false).name());
    }

    /** Stops the stream from {@code source} to {@code target} if it runs here; its checkpoint stays. */
    void stop(TenantId tenant, SiteId source, SiteId target) {
        StreamId id = streamId(tenant, source, target);
        registry.get(id).ifPresent(s -> {
            s.close();
            registry.remove(id);
        });
    }

    /**
     * Watches the old site ({@code from}) for writes to the moved tenant's rows that hikkoshi did not make, from
     * {@code position} (noted while frozen), unless this process watches already.
     */
    synchronized void watchOldSite(Tenant tenant, SiteId from, SiteId to, CapturePosition position,
                                   Consumer<BypassWrite> listener) {
        if (!watches.containsKey(tenant.id())) {
            watches.put(tenant.id(), new BypassWatch(setup(tenant, from, to, false), from, java.util.Set.of(),
                    capture(tenant, from, to), position, listener));
        }
    }

    /**
     * Stops watching the old site {@code from} for the tenant (it is served there again, or the move is finalized),
     * and forgets the watch's hold on that site's change log and how far it reported.
     */
    void stopWatching(Tenant tenant, SiteId from, SiteId to) {
        closeWatch(tenant.id());
        forgetConsumer(from, () -> scope(from, to), () -> BypassWatch.consumer(setup(tenant, from, to, false)));
        forgetWatchPosition(tenant, from, to);
    }

    /**
     * Forgets how far the tenant's watch of {@code from} read (its row on {@code to}). Best effort, as
     * {@link #forgetConsumer}: a row left behind names this attempt's noted position, which a later attempt's watch
     * does not share unless that position's text comes again (a change log installed anew restarts its ids).
     */
    private void forgetWatchPosition(Tenant tenant, SiteId from, SiteId to) {
        try {
            BypassWatch.forgetPosition(setup(tenant, from, to, false));
        } catch (SQLException | RuntimeException e) {
            log.warn("could not forget how far the bypass-write watch of {} read, on {} ({}); a later watch of the"
                    + " tenant started from the same noted position would resume there", tenant.id(),
                    database(to).describe(), e.getMessage());
        }
    }

    private void closeWatch(TenantId tenant) {
        BypassWatch w = watches.remove(tenant);
        if (w != null) {
            w.close();
        }
    }

    /** Verifies the stream's dirty rows on both sides by key; returns those that differ now. */
    List<RowDifference> dirtyDifferences(Tenant tenant, TenantStream stream, SiteId source, SiteId target) {
        TenantComparison c = comparison(tenant, source, target);
        return DirtyRowCheck.run(stream, c.verifier(), c.tables());
    }

    /**
     * The tenant's rows on {@code source} and {@code target} as verification compares them: the verifier, the
     * tenant's tables, and the repair through the copy path.
     */
    TenantComparison comparison(Tenant tenant, SiteId source, SiteId target) {
        Direction d = direction(source, target);
        SiteDatabase s = database(source);
        SiteDatabase t = database(target);
        Verifier verifier = new Verifier(SiteCaptures.side(s), SiteCaptures.side(t), Verifier.Options.defaults());
        return new TenantComparison(verifier, VerifyTables.forTenant(d.scope(), d.targetSchema(), tenant, s.config(),
                t.config()), new RowRepairer(verifier, ScopeCopy.endpoint(s), ScopeCopy.endpoint(t)));
    }

    /** What {@link #comparison} returns. */
    record TenantComparison(Verifier verifier, List<TableToVerify> tables, RowRepairer repairer) {
    }

    /**
     * Removes a finalized tenant's stale rows from {@code oldSite}, the site it left for {@code newSite}: every
     * per-tenant table (children first, in batches, marked as hikkoshi's own writes so no capture takes them for a
     * bypassing write), but not the table the tenant directory is read from ({@link #directoryTable()}), whose
     * row names the tenant for every later start of the controller. Returns the rows deleted per table. The
     * caller checks that the move is FINALIZED. Idempotent: a second purge deletes nothing.
     */
    public Map<String, Long> purge(Tenant tenant, SiteId oldSite, SiteId newSite) {
        return TenantRowsRemoval.remove(database(oldSite), scope(newSite, oldSite), tenant.databaseId(),
                "purge/" + tenant.id(), directoryTable().map(Set::of).orElse(Set.of()),
                "stale since it moved to " + newSite, true);
    }

    /** The table the tenant directory is read from ({@code tenants.from-table}), if it is read from one. */
    public Optional<String> directoryTable() {
        return common.tenants().fromTable().map(CommonConfig.TenantsConfig.FromTable::table);
    }

    /**
     * Finalizes a move to {@code to}: stops the reverse stream, forgets its checkpoint on {@code from}, and removes
     * the trigger capture from {@code to} once no other stream reads it. Returns what was removed, in words.
     */
    String finalizeMove(Tenant tenant, SiteId from, SiteId to) {
        closeWatch(tenant.id());
        stop(tenant.id(), to, from);
        stop(tenant.id(), from, to);
        SiteDatabase oldSite = database(from);
        SiteDatabase newSite = database(to);
        forgetCheckpoint(setup(tenant, to, from, true), oldSite);
        forgetConsumers(tenant, from, to);
        forgetWatchPosition(tenant, from, to);
        if (newSite.config().capture() != CaptureMode.TRIGGERS) {
            return "reverse stream stopped";
        }
        // Decided by the consumers recorded on the change log itself, not by the reverse streams' checkpoints on
        // this site: a tenant switched a moment ago has noted its reverse position (a consumer) before its stream
        // wrote a checkpoint, and removing the triggers then would lose its new site's writes from a rollback.
        SiteCaptures.TriggerRemoval removal = captures.uninstallUnlessRead(newSite, scope(to, from));
        if (!removal.keptFor().isEmpty()) {
            return "reverse stream stopped; the trigger capture on " + to + " stays for " + removal.keptFor().size()
                    + " other stream(s) that read it: " + String.join(", ", removal.keptFor());
        }
        return "reverse stream stopped; " + removal.removed() + " trigger capture objects removed from " + newSite.describe();
    }

    @Override
    public void close() {
        List.copyOf(watches.keySet()).forEach(this::closeWatch);
        for (var status : registry.streams()) {
            registry.get(status.id()).ifPresent(TenantStream::close);
            registry.remove(status.id());
        }
        captures.close();
    }
}
