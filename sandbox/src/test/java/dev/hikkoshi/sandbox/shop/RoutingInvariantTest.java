package dev.hikkoshi.sandbox.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderChange;
import dev.hikkoshi.sandbox.shop.ShopOperation.ListOrders;
import dev.hikkoshi.sandbox.shop.ShopOperation.UpdateOrder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RoutingInvariantTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(int millis) {
        return T0.plusMillis(millis);
    }

    private static ShopExchange write(TenantId tenant, String site, int start, int end) {
        return new ShopExchange(tenant, new UpdateOrder(7, new OrderChange("paid", null)), OptionalLong.of(7),
                Optional.of(site), at(start), at(end), 200, Optional.empty());
    }

    private static ShopExchange read(TenantId tenant, String site, int start, int end) {
        return new ShopExchange(tenant, new ListOrders(), OptionalLong.empty(), Optional.of(site), at(start), at(end),
                200, Optional.empty());
    }

    @Test
    void oldSiteBeforeTheSwitch_newSiteAfter_andRequestsHeldAcrossIt_keepTheInvariant() {
        SwitchTimeline timeline = SwitchTimeline.startingOn(LEGACY).switched(ACME, CLOUD, at(100));
        List<ShopExchange> exchanges = List.of(
                write(ACME, "legacy", 0, 50),
                // Started before the switch, held by the freeze, answered by the new site after it.
                write(ACME, "cloud", 90, 130),
                read(ACME, "cloud", 120, 140),
                write(GLOBEX, "legacy", 200, 210));
        assertThat(RoutingInvariant.check(exchanges, timeline)).isEmpty();
        assertThat(RoutingInvariant.servedBySequence(exchanges, ACME)).containsExactly("legacy", "cloud");
    }

    @Test
    void oldSiteAfterTheSwitch_andNewSiteBeforeIt_areViolations() {
        SwitchTimeline timeline = SwitchTimeline.startingOn(LEGACY).switched(ACME, CLOUD, at(100));
        List<Violation> violations = RoutingInvariant.check(List.of(
                write(ACME, "cloud", 10, 20),
                write(ACME, "legacy", 101, 120),
                read(GLOBEX, "cloud", 200, 210)), timeline);
        assertThat(violations).extracting(Violation::toString).containsExactly(
                "acme: write served by cloud while the tenant was placed elsewhere (on legacy, on cloud from "
                        + at(100) + "): UpdateOrder 7 of acme started " + at(10) + ", answered " + at(20)
                        + " by cloud (200)",
                "acme: write served by legacy while the tenant was placed elsewhere (on legacy, on cloud from "
                        + at(100) + "): UpdateOrder 7 of acme started " + at(101) + ", answered " + at(120)
                        + " by legacy (200)",
                "globex: read served by cloud while the tenant was placed elsewhere (on legacy): ListOrders of globex"
                        + " started " + at(200) + ", answered " + at(210) + " by cloud (200)");
    }

    @Test
    void aRollback_returnsTheTenantToTheOldSite() {
        SwitchTimeline timeline = SwitchTimeline.startingOn(LEGACY).switched(ACME, CLOUD, at(100))
                .switched(ACME, LEGACY, at(200));
        assertThat(RoutingInvariant.check(List.of(write(ACME, "legacy", 0, 10), write(ACME, "cloud", 110, 120),
                write(ACME, "legacy", 210, 220)), timeline)).isEmpty();
        assertThat(RoutingInvariant.check(List.of(write(ACME, "cloud", 210, 220)), timeline)).hasSize(1);
        assertThat(RoutingInvariant.check(List.of(write(ACME, "legacy", 110, 120)), timeline)).hasSize(1);
    }

    @Test
    void failedRequests_andAnswersWithoutASite_areViolations() {
        ShopExchange failed = new ShopExchange(ACME, new ListOrders(), OptionalLong.empty(), Optional.of("legacy"),
                at(0), at(5), 503, Optional.of("failure injected for tenant acme"));
        ShopExchange noAnswer = new ShopExchange(ACME, new ListOrders(), OptionalLong.empty(), Optional.empty(),
                at(10), at(15), 0, Optional.of("connection closed before the response"));
        ShopExchange routerError = new ShopExchange(ACME, new ListOrders(), OptionalLong.empty(), Optional.empty(),
                at(20), at(25), 200, Optional.empty());
        assertThat(RoutingInvariant.check(List.of(routerError, noAnswer, failed), SwitchTimeline.startingOn(LEGACY)))
                .extracting(Violation::description).containsExactly(
                        "request failed: ListOrders of acme started " + at(0) + ", answered " + at(5)
                                + " by legacy (503: failure injected for tenant acme)",
                        "request failed: ListOrders of acme started " + at(10) + ", answered " + at(15)
                                + " by no site (no answer: connection closed before the response)",
                        "no site named in the answer: ListOrders of acme started " + at(20) + ", answered " + at(25)
                                + " by no site (200)");
    }

    @Test
    void switches_mustMoveForwardInTimeAndToAnotherSite() {
        SwitchTimeline timeline = SwitchTimeline.startingOn(LEGACY).switched(ACME, CLOUD, at(100));
        assertThatThrownBy(() -> timeline.switched(ACME, CLOUD, at(200))).hasMessage("acme is already on cloud");
        assertThatThrownBy(() -> timeline.switched(ACME, LEGACY, at(100)))
                .hasMessage("acme's switch to legacy at " + at(100) + " is not after its previous switch at " + at(100));
        assertThatThrownBy(() -> timeline.startsOn(ACME, CLOUD))
                .hasMessage("acme already has switches; give its first site before them");
        assertThat(SwitchTimeline.startingOn(LEGACY).startsOn(GLOBEX, CLOUD).initialSite(GLOBEX)).isEqualTo(CLOUD);
    }
}
