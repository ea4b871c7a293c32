package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code hikkoshi apply} will do, as {@code hikkoshi plan} decided it: the waves with explicit tenant lists
 * and their estimates, the tenants left out (already moved, or refused with a reason), the preflight findings of
 * both directions, the throughput sample behind the estimates and the {@link Fingerprint} of the world the plan
 * assumed. Written and read by {@link PlanFile}. {@code id} is the SHA-256 of the plan's canonical JSON without the
 * id, so that the controller can tell one plan from another and a hand-edited file is noticed.
 *
 * @param format    the plan-file format ({@link #FORMAT}); a newer one is refused by an older hikkoshi
 * @param from      the site the tenants move from; {@code to} the site they move to
 * @param freezeMax {@code plan.freeze.max} when the plan was made: every planned freeze estimate fits it
 */
public record Plan(int format, String id, Instant created, SiteId from, SiteId to, Duration freezeMax,
                   List<PlannedWave> waves, List<SkippedTenant> skipped, List<RefusedTenant> refused,
                   List<PreflightFinding> preflight, ThroughputSample throughput, Fingerprint fingerprint) {
    /** The plan-file format this code writes and reads. */
    public static final int FORMAT = 1;

    public Plan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(freezeMax, "freezeMax");
        waves = List.copyOf(waves);
        skipped = List.copyOf(skipped);
        refused = List.copyOf(refused);
        preflight = List.copyOf(preflight);
        Objects.requireNonNull(throughput, "throughput");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** A new plan of the current format, its id computed from its content. */
    public static Plan of(Instant created, SiteId from, SiteId to, Duration freezeMax, List<PlannedWave> waves,
                          List<SkippedTenant> skipped, List<RefusedTenant> refused, List<PreflightFinding> preflight,
                          ThroughputSample throughput, Fingerprint fingerprint) {
        Plan unnamed = new Plan(FORMAT, "", created, from, to, freezeMax, waves, skipped, refused, preflight,
                throughput, fingerprint);
        return new Plan(FORMAT, PlanJson.contentId(unnamed), created, from, to, freezeMax, waves, skipped, refused,
                preflight, throughput, fingerprint);
    }

    /** The wave named {@code name}. */
    public Optional<PlannedWave> wave(String name) {
        return waves.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /** Every planned tenant, wave by wave in start order. */
    public List<TenantId> tenants() {
        return waves.stream().flatMap(w -> w.moves().stream()).map(PlannedMove::tenant).toList();
    }

    /** The preflight findings that would make a move or its rollback fail; {@code apply} refuses if any. */
    public List<PreflightFinding> errors() {
        return preflight.stream().filter(f -> f.severity() == PreflightFinding.Severity.ERROR).toList();
    }
}
