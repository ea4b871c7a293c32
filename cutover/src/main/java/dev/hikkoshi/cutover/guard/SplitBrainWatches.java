package dev.hikkoshi.cutover.guard;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one bypass-write watch per switched tenant on the site it left: started when a move enters SWITCHED
 * (the transition is published while the tenant is still frozen, so nothing routed writes to the old site
 * from the position it starts at), kept through BAKING and DONE, stopped when the tenant is frozen for a rollback
 * or finalized. After a controller restart {@link #resume} starts them again for switched tenants, from the old
 * site's position at the restart: writes made while no controller ran are not seen (said in docs/controller.md).
 */
public final class SplitBrainWatches implements Consumer<MoveEvent>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SplitBrainWatches.class);

    /** How a watch is started: the old and new site of the tenant, and where its reports go. */
    @FunctionalInterface
    public interface Starter {
        AutoCloseable watch(TenantId tenant, SiteId oldSite, SiteId newSite, Consumer<BypassWrite> listener);
    }

    private final Starter starter;
    private final Consumer<MoveEvent> publish;
    private final Consumer<String> pausePlan;
    private final SiteId oldSite;
    private final SiteId newSite;
    private final Map<TenantId, AutoCloseable> watches = new ConcurrentHashMap<>();

    public SplitBrainWatches(Starter starter, Consumer<MoveEvent> publish, Consumer<String> pausePlan, SiteId oldSite,
                             SiteId newSite) {
        this.starter = starter;
        this.publish = publish;
        this.pausePlan = pausePlan;
        this.oldSite = oldSite;
        this.newSite = newSite;
    }

    /** Starts watches for the moves a restarted controller found switched. */
    public void resume(List<MoveStatus> moves) {
        for (MoveStatus m : moves) {
            if (m.state() == MoveState.SWITCHED || m.state() == MoveState.BAKING || m.state() == MoveState.DONE) {
                start(m.tenant());
            }
        }
    }

    @Override
    public void accept(MoveEvent event) {
        if (!(event instanceof MoveEvent.Transition t)) {
            return;
        }
        switch (t.to()) {
            case SWITCHED -> start(t.tenant());
            case ROLLBACK_FROZEN, FINALIZED, FAILED, PLANNED -> stop(t.tenant());
            default -> {
            }
        }
    }

    private void start(TenantId tenant) {
        watches.computeIfAbsent(tenant, t -> {
            try {
                AutoCloseable w = starter.watch(t, oldSite, newSite, new SplitBrainGuard(t, publish, pausePlan));
                log.info("watching {} for writes to {}'s rows that bypass hikkoshi", oldSite, t);
                return w;
            } catch (RuntimeException e) {
                // Not watching is itself a risk an operator must see; the move goes on (it is already switched).
                publish.accept(new MoveEvent.Notice(t, MoveEvent.Severity.CRITICAL, "cannot watch " + oldSite
                        + " for writes that bypass the move: " + e.getMessage(), java.time.Instant.now()));
                return null;
            }
        });
    }

    private void stop(TenantId tenant) {
        AutoCloseable w = watches.remove(tenant);
        if (w != null) {
            closeQuietly(w);
        }
    }

    @Override
    public void close() {
        watches.values().forEach(SplitBrainWatches::closeQuietly);
        watches.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("closing a bypass watch: {}", e.toString());
        }
    }
}
