package dev.hikkoshi.cutover.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SplitBrainGuardTest {
    private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");
    private static final TenantId ACME = TenantId.of("acme");
    private static final SiteId LEGACY = SiteId.of("legacy");

    @Test
    void firstBypassWrite_isPublishedAndPausesThePlan_repeatsOfARowAreNot() {
        List<MoveEvent> events = new ArrayList<>();
        List<String> pauses = new ArrayList<>();
        SplitBrainGuard guard = new SplitBrainGuard(events::add, pauses::add);

        guard.accept(new BypassWrite(Optional.of(ACME), LEGACY, "orders", "id=10", "mysql-bin.000003:4711", AT));
        guard.accept(new BypassWrite(Optional.of(ACME), LEGACY, "orders", "id=10", "mysql-bin.000003:4900", AT));
        guard.accept(new BypassWrite(Optional.empty(), LEGACY, "countries", "code=JP", "mysql-bin.000003:5000", AT));

        assertThat(events).containsExactly(new MoveEvent.SplitBrain(ACME, LEGACY, "orders", "id=10", AT),
                new MoveEvent.SplitBrain(TenantId.of("shared-tables"), LEGACY, "countries", "code=JP", AT));
        assertThat(pauses).containsExactly("split-brain: a write that bypassed hikkoshi changed tenant acme's row"
                + " orders id=10 on site legacy (mysql-bin.000003:4711)");
        assertThat(guard.reportedRows()).isEqualTo(2);
    }
}
