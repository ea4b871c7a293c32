package dev.hikkoshi.data.stream;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.stream.StreamProgress;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.core.tenant.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The change streams as their checkpoints on each site's database show them, for a process that does not run
 * the streams ({@code hikkoshi check lag}, a separate watcher). Lag is the age of the source commit of the last
 * transaction applied: every running stream applies its heartbeat every few seconds, so a stream that stopped
 * applying shows a rising lag even while the source is idle. A stream stopped by a schema change is STOPPED.
 */
public final class CheckpointedStreams implements StreamProgress {
    private static final Pattern NAME = Pattern.compile("(?<schema>[^/]+)/(?<tenant>[^:]+):(?<from>[^-]+)->(?<to>.+)");

    private final Map<SiteId, DataSource> sites;
    private final java.util.Set<String> schemas;
    private final SiteId forwardSource;
    private final Clock clock;

    /**
     * @param sites         every site's database, where the streams into that site keep their checkpoints
     * @param schemas       the application schemas whose streams count (a server may hold other applications'
     *                      streams: the checkpoint table is per server)
     * @param forwardSource the site tenants move away from: streams out of it are forward, the others reverse
     */
    public CheckpointedStreams(Map<SiteId, DataSource> sites, java.util.Set<String> schemas, SiteId forwardSource,
                               Clock clock) {
        this.sites = Map.copyOf(sites);
        this.schemas = java.util.Set.copyOf(schemas);
        this.forwardSource = forwardSource;
        this.clock = clock;
    }

    /** Reads every site's checkpoints; a database that cannot be read is a {@link SQLException} for the caller. */
    public List<StreamStatus> read() throws SQLException {
        Instant now = clock.instant();
        List<StreamStatus> out = new ArrayList<>();
        for (Map.Entry<SiteId, DataSource> site : sites.entrySet()) {
            try (Connection c = site.getValue().getConnection()) {
                for (StreamCheckpoints.Checkpoint cp : StreamCheckpoints.all(c)) {
                    status(cp, now).ifPresent(out::add);
                }
            }
        }
        out.sort(java.util.Comparator.comparing(s -> s.id().toString()));
        return out;
    }

    @Override
    public List<StreamStatus> streams() {
        try {
            return read();
        } catch (SQLException e) {
            throw new IllegalStateException("reading stream checkpoints failed: " + e.getMessage(), e);
        }
    }

    private Optional<StreamStatus> status(StreamCheckpoints.Checkpoint cp, Instant now) {
        Matcher m = NAME.matcher(cp.stream());
        if (!m.matches() || !schemas.contains(m.group("schema")) || !TenantId.isValid(m.group("tenant")) || !SiteId.isValid(m.group("from"))
                || !SiteId.isValid(m.group("to"))) {
            return Optional.empty(); // not a stream hikkoshi named: nothing to judge
        }
        SiteId from = SiteId.of(m.group("from"));
        StreamId id = new StreamId(TenantId.of(m.group("tenant")), from, SiteId.of(m.group("to")));
        Instant seen = cp.coveredBefore().orElse(cp.appliedAt());
        Duration age = Duration.between(seen, now);
        if (age.isNegative()) {
            age = Duration.ZERO; // clocks of the two servers differ slightly
        }
        StreamState state = cp.stoppedBy().isPresent() ? StreamState.STOPPED : StreamState.STREAMING;
        return Optional.of(new StreamStatus(id, "checkpoint", state, cp.position().text(), age.toMillis() / 1000.0, 0,
                age, 0, cp.appliedChanges(), !from.equals(forwardSource), cp.stoppedBy(), now));
    }
}
