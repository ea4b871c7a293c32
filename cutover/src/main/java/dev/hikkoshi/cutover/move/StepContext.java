package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.cutover.routing.RouterFleet;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.stream.TenantStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every move step works with: the data side, the router fleet, the settings and the hooks; and the few
 * checks all steps share. Built by {@link MoveSteps}.
 */
record StepContext(MoveData data, RouterFleet fleet, MoveSettings settings, MoveHooks hooks) {
    private static final Logger log = LoggerFactory.getLogger(StepContext.class);

    StepContext {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(hooks, "hooks");
    }

    /** Sets the logging context of a step's run (the runner's thread keeps it until the next step sets its own). */
    Tenant enter(MoveAttempt attempt) {
        MDC.put("tenant", attempt.tenant().value());
        MDC.put("phase", attempt.state().name().toLowerCase(Locale.ROOT));
        MDC.put("component", "cutover");
        return data.tenant(attempt.tenant(), attempt.from());
    }

    /** A position an earlier step noted; its absence is a bug of the journal or the runner, not the user's. */
    static CapturePosition noted(MoveAttempt attempt, String key) {
        return CapturePosition.parse(attempt.note(key).orElseThrow(() -> new IllegalStateException("move of tenant "
                + attempt.tenant() + " (attempt " + attempt.attempt() + ") is in " + attempt.state()
                + " without the note " + key + " an earlier step writes")));
    }

    /** Throws when the stream ended (failed, or stopped by a schema change): the step fails with its problem. */
    static TenantStream alive(TenantStream stream) {
        StreamState s = stream.state();
        if (s == StreamState.FAILED || s == StreamState.STOPPED || s == StreamState.CLOSED) {
            throw new IllegalStateException("stream " + stream.id() + " ended " + s + ": "
                    + stream.status().problem().orElse("no problem recorded"));
        }
        return stream;
    }

    /** How long the tenant has been held: since the fleet froze it, else since the noted freeze start. */
    Duration heldSoFar(MoveAttempt attempt, String startedKey) {
        Instant since = fleet.frozenSince(attempt.tenant()).orElseGet(() -> attempt.note(startedKey)
                .map(Long::parseLong).map(Instant::ofEpochMilli).orElse(Instant.now()));
        return Duration.between(since, Instant.now());
    }

    /** True when the controller's table places the tenant on {@code site} (frozen or not). */
    boolean placedOn(MoveAttempt attempt, SiteId site) {
        return fleet.table().placement(attempt.tenant()).map(Placement::site).filter(site::equals).isPresent();
    }

    /** Starts the bypass-write watch on the old site from the position FINAL_SYNC noted (if this process has none). */
    void watchOldSite(Tenant tenant, MoveAttempt attempt) {
        CapturePosition from = noted(attempt, StepNotes.OLD_SITE_POSITION);
        data.watchOldSite(tenant, attempt.from(), attempt.to(), from, write -> {
            log.error("write that bypassed the move of tenant {}: {} {} on {} ({})", attempt.tenant(), write.table(),
                    write.primaryKey(), write.site(), write.where());
            hooks.onBypassWrite().accept(write);
        });
    }

    static String lag(TenantStream stream) {
        var s = stream.status();
        return String.format(Locale.ROOT, "lag %.1f s, %,d events behind", s.lagSeconds(), s.lagEvents());
    }
}
