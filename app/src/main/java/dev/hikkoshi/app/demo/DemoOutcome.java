package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.PlanSettings;
import dev.hikkoshi.sandbox.shop.AckedWritesCheck;
import dev.hikkoshi.sandbox.shop.ShopExchange;
import dev.hikkoshi.sandbox.shop.TenantRowsComparison;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one demo run did and saw, for {@link DemoReport}: where things ran, the plan's waves, the engine's
 * transitions and final move statuses, every request of the shop's load, what {@link AckedWritesCheck} found on
 * each site and what the independent row comparison found for each moved tenant.
 *
 * @param start           when the demo began (before the servers started); timeline offsets count from here
 * @param applied         when the plan was applied
 * @param rows            each tenant's rows before the move (its size)
 * @param copyEstimates   the plan's estimated copy time of each planned tenant
 * @param freezes         per moved tenant, the longest freeze time its move's status reported during the run
 * @param acked           per site, the check of the acknowledged writes of the tenants that ended there
 * @param compared        per tenant that ended on cloud, its rows on cloud compared with legacy (kept equal by the
 *                        reverse sync)
 * @param workloadFailure why the load stopped early, if it did
 */
public record DemoOutcome(Path config, URI router, URI controller, DemoScenario scenario, Instant start,
                          Instant applied, Instant end, List<PlanSettings.Wave> waves, Map<TenantId, Long> rows,
                          Map<TenantId, Duration> copyEstimates,
                          List<MoveEvent.Transition> transitions, List<MoveStatus> moves,
                          Map<TenantId, Duration> freezes, Optional<String> pauseReason, List<ShopExchange> exchanges,
                          Map<SiteId, AckedWritesCheck.Report> acked,
                          Map<TenantId, TenantRowsComparison.Result> compared, Optional<String> workloadFailure) {
    public DemoOutcome {
        waves = List.copyOf(waves);
        rows = Map.copyOf(rows);
        copyEstimates = Map.copyOf(copyEstimates);
        transitions = List.copyOf(transitions);
        moves = List.copyOf(moves);
        freezes = Map.copyOf(freezes);
        exchanges = List.copyOf(exchanges);
        acked = Map.copyOf(acked);
        compared = Map.copyOf(compared);
    }

    /** The controller's status of {@code tenant}'s move, if it is in the plan. */
    public Optional<MoveStatus> move(TenantId tenant) {
        return moves.stream().filter(m -> m.tenant().equals(tenant)).findFirst();
    }

    /**
     * How long {@code tenant}'s first copy took, from entering COPYING to SYNCED (the copy and the stream catching
     * up), to set beside the plan's estimate.
     */
    public Optional<Duration> copyTook(TenantId tenant) {
        Optional<MoveEvent.Transition> began = transitions.stream()
                .filter(t -> t.tenant().equals(tenant) && t.to() == MoveState.COPYING).findFirst();
        Optional<MoveEvent.Transition> synced = transitions.stream()
                .filter(t -> t.tenant().equals(tenant) && t.from() == MoveState.COPYING && t.to() == MoveState.SYNCED)
                .findFirst();
        return began.flatMap(b -> synced.map(e -> Duration.between(b.at(), e.at())));
    }

    /** The site serving {@code tenant} at the end: the new one while the move holds it there, else the old one. */
    public static SiteId finalSite(Optional<MoveStatus> move, SiteId old) {
        return move.map(m -> m.state().onNewSite() ? m.to() : m.from()).orElse(old);
    }
}
