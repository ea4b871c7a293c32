package dev.hikkoshi.watch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.watch.alert.audit.Suppression;
import dev.hikkoshi.watch.alert.audit.SuppressionReason;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.alert.replay.Replay;
import dev.hikkoshi.watch.alert.silence.Silence;
import dev.hikkoshi.watch.testing.AlertsConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's stages one by one, through the same replay path the CLI and the live service use. */
class AlertPipelineTest {
    private static final Instant T0 = Instant.parse("2026-11-29T06:00:00Z");
    private static final Map<String, String> ENV = Map.of("HOOK", "http://127.0.0.1:9/hook");

    @TempDir
    Path state;

    private final List<PipelineInput> inputs = new ArrayList<>();

    private void fire(long atSeconds, String... labels) {
        inputs.add(new PipelineInput.Event(T0.plusSeconds(atSeconds), Labels.of(labels), AlertStatus.FIRING, 1));
    }

    private void resolve(long atSeconds, String... labels) {
        inputs.add(new PipelineInput.Event(T0.plusSeconds(atSeconds), Labels.of(labels), AlertStatus.RESOLVED, 1));
    }

    private void move(long atSeconds, String tenant, MoveHold hold) {
        inputs.add(new PipelineInput.MoveFact(T0.plusSeconds(atSeconds), TenantId.of(tenant), hold));
    }

    private AlertsConfig config(String extra) {
        return AlertsConfigs.bind(state, """
                  receivers:
                    - { name: ops, webhook-url-env: HOOK, env: [production] }
                    - { name: staging-ops, webhook-url-env: HOOK, env: [staging] }
                  routes:
                    - { match: [check=~.+], receiver: ops, group-by: [check, tenant], group-wait: 10s,
                        group-interval: 1m, repeat-interval: 1h }
                """ + extra, ENV);
    }

    private Replay.Result replay(AlertsConfig c, List<Silence> silences, Duration span) {
        return Replay.run(c, silences, inputs, Optional.of(span));
    }

    private static List<String> titles(Replay.Result r) {
        return r.messages().stream().map(m -> "+" + Duration.between(T0, m.time()).toSeconds() + "s " + m.receiver()
                + " " + m.title()).toList();
    }

    @Test
    void flapping_checkThatFlipsOnEveryEvaluation_firesOnce() {
        AlertsConfig c = config("  flapping: { fire: 3, of: 5, clear-after: 5 }\n");
        for (int i = 0; i < 40; i++) {
            if (i % 2 == 0) {
                fire(i * 10, "check", "db-ping", "tenant", "acme");
            } else {
                resolve(i * 10, "check", "db-ping", "tenant", "acme");
            }
        }
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(10));
        // 40 flips, one firing: afterwards the group only gets updates (more events) at its 1-minute interval,
        // never a resolution or a new firing per flip.
        assertThat(titles(r)).containsExactly("+50s ops [FIRING:1] check=db-ping tenant=acme",
                "+110s ops [UPDATE:1] check=db-ping tenant=acme", "+170s ops [UPDATE:1] check=db-ping tenant=acme",
                "+230s ops [UPDATE:1] check=db-ping tenant=acme", "+290s ops [UPDATE:1] check=db-ping tenant=acme",
                "+350s ops [UPDATE:1] check=db-ping tenant=acme", "+410s ops [UPDATE:1] check=db-ping tenant=acme");
        // 20 firing evaluations; the 2 before the third (which made it fire) were held back by the flapping stage
        assertThat(r.messages().get(6).events()).isEqualTo(18);
        assertThat(r.suppressions()).filteredOn(s -> s.reason() == SuppressionReason.FLAPPING).first()
                .extracting(Suppression::detail).isEqualTo("fires after 3 of 5 evaluations firing");
    }

    @Test
    void flapping_clearsOnlyAfterItsHysteresis_thenResolutionIsSent() {
        AlertsConfig c = config("  flapping: { fire: 2, of: 3, clear-after: 3 }\n");
        fire(0, "check", "db-ping", "tenant", "acme");
        fire(5, "check", "db-ping", "tenant", "acme");
        resolve(20, "check", "db-ping", "tenant", "acme");
        resolve(25, "check", "db-ping", "tenant", "acme");
        resolve(30, "check", "db-ping", "tenant", "acme");
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(3));
        assertThat(titles(r)).containsExactly("+15s ops [FIRING:1] check=db-ping tenant=acme",
                "+75s ops [RESOLVED] check=db-ping tenant=acme");
    }

    @Test
    void silence_holdsUntilItExpires_thenTheAlertIsNotified() {
        AlertsConfig c = config("");
        fire(0, "check", "http-5xx", "tenant", "acme");
        Silence s = new Silence("s1", List.of(Matcher.parse("tenant=acme").orElseThrow()), T0, T0.plusSeconds(150),
                "alice", "deploying");
        Replay.Result r = replay(c, List.of(s), Duration.ofMinutes(5));
        assertThat(titles(r)).containsExactly("+190s ops [FIRING:1] check=http-5xx tenant=acme");
        assertThat(r.suppressions()).filteredOn(x -> x.reason() == SuppressionReason.SILENCED)
                .extracting(Suppression::toString)
                .containsExactly("2026-11-29T06:00:10Z silenced ops [check=http-5xx env=production severity=warning tenant=acme]"
                        + " silence s1 until 2026-11-29T06:02:30Z (deploying)");
    }

    @Test
    void resolution_alertNotifiedThenSilencedThenResolved_getsItsResolution() {
        AlertsConfig c = config("");
        fire(0, "check", "http-5xx", "tenant", "acme");
        fire(30, "check", "http-5xx", "tenant", "acme");
        resolve(100, "check", "http-5xx", "tenant", "acme");
        Silence s = new Silence("s1", List.of(Matcher.parse("tenant=acme").orElseThrow()), T0.plusSeconds(20),
                T0.plusSeconds(3600), "alice", "");
        Replay.Result r = replay(c, List.of(s), Duration.ofMinutes(5));
        assertThat(titles(r)).containsExactly("+10s ops [FIRING:1] check=http-5xx tenant=acme",
                "+130s ops [RESOLVED] check=http-5xx tenant=acme");
        assertThat(r.messages().get(1).lines()).containsExactly("every alert of the group resolved",
                "resolved: env=production severity=warning (2 events)");
    }

    @Test
    void resolution_alertNeverNotified_getsNone() {
        AlertsConfig c = config("");
        fire(0, "check", "http-5xx", "tenant", "acme");
        resolve(5, "check", "http-5xx", "tenant", "acme");
        fire(0, "check", "http-5xx", "tenant", "globex");
        Silence s = new Silence("s1", List.of(Matcher.parse("tenant=globex").orElseThrow()), T0, T0.plusSeconds(60),
                "alice", "");
        resolve(40, "check", "http-5xx", "tenant", "globex");
        Replay.Result r = replay(c, List.of(s), Duration.ofMinutes(10));
        assertThat(r.messages()).isEmpty();
        assertThat(r.suppressions()).filteredOn(x -> x.reason() == SuppressionReason.NEVER_NOTIFIED)
                .extracting(Suppression::subject)
                .containsExactly("check=http-5xx env=production severity=warning tenant=acme",
                        "check=http-5xx env=production severity=warning tenant=globex");
    }

    @Test
    void scoping_stagingAlertNeverReachesProductionReceiver_whateverTheRoutesSay() {
        AlertsConfig c = config("");
        fire(0, "check", "http-5xx", "tenant", "acme", "env", "staging");
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(10));
        assertThat(r.messages()).isEmpty();
        assertThat(r.suppressions()).extracting(Suppression::toString).containsExactly(
                "2026-11-29T06:00:00Z out-of-scope ops [check=http-5xx env=staging severity=warning tenant=acme] receiver"
                        + " ops accepts env"
                        + " production, not staging");
    }

    @Test
    void scoping_receiverWithNoEnvList_receivesNothing() {
        AlertsConfig c = AlertsConfigs.bind(state, """
                  receivers: [ { name: ops, webhook-url-env: HOOK } ]
                  routes: [ { match: [check=~.+], receiver: ops } ]
                """, ENV);
        fire(0, "check", "http-5xx", "tenant", "acme");
        fire(0, "check", "http-5xx", "tenant", "acme", "env", "staging");
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(10));
        assertThat(r.messages()).isEmpty();
        assertThat(r.suppressions()).extracting(Suppression::detail).containsExactly(
                "receiver ops names no env, so it accepts nothing", "receiver ops names no env, so it accepts nothing");
    }

    @Test
    void inhibition_siteDown_silencesThePerTenantErrorsOnThatSiteOnly() {
        AlertsConfig c = config("""
                  inhibit: [ { source: [check=site-down], target: [tenant=~.+], equal: [site] } ]
                """);
        fire(0, "check", "site-down", "site", "cloud");
        fire(1, "check", "http-5xx", "tenant", "acme", "site", "cloud");
        fire(1, "check", "http-5xx", "tenant", "globex", "site", "legacy");
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(1));
        assertThat(titles(r)).containsExactly("+10s ops [FIRING:1] check=site-down",
                "+11s ops [FIRING:1] check=http-5xx tenant=globex");
        assertThat(r.suppressions()).filteredOn(x -> x.reason() == SuppressionReason.INHIBITED)
                .extracting(Suppression::detail).containsExactly("inhibited by [check=site-down env=production severity=warning site=cloud]");
    }

    @Test
    void move_tenantRollingBack_doesNotPageForItsOwnErrors_butItsMoveAlertPages() {
        AlertsConfig c = config("");
        move(0, "acme", MoveHold.ROLLING_BACK);
        fire(1, "check", "http-5xx", "tenant", "acme");
        fire(1, "check", "move", "tenant", "acme");
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(1));
        assertThat(titles(r)).containsExactly("+11s ops [FIRING:1] check=move tenant=acme");
        assertThat(r.suppressions()).filteredOn(x -> x.reason() == SuppressionReason.INHIBITED)
                .extracting(Suppression::detail).containsExactly("tenant acme is rolling back; its own errors do not page");
    }

    @Test
    void move_frozenTenant_alertsHeldUntilTheFreezeEnds() {
        AlertsConfig c = config("");
        move(0, "acme", MoveHold.FROZEN);
        fire(1, "check", "http-5xx", "tenant", "acme");
        move(100, "acme", MoveHold.NONE);
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(5));
        assertThat(titles(r)).containsExactly("+131s ops [FIRING:1] check=http-5xx tenant=acme");
        assertThat(r.suppressions()).filteredOn(x -> x.reason() == SuppressionReason.HELD_FOR_FREEZE).hasSize(1);
    }

    @Test
    void move_bakingTenant_firesOnFirstEvaluationDespiteFlappingHold() {
        AlertsConfig c = config("  flapping: { fire: 3, of: 5, clear-after: 5 }\n");
        move(0, "acme", MoveHold.BAKING);
        fire(1, "check", "http-5xx", "tenant", "acme");
        fire(1, "check", "http-5xx", "tenant", "globex");
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(5));
        assertThat(titles(r)).containsExactly("+11s ops [FIRING:1] check=http-5xx tenant=acme");
    }

    @Test
    void repeat_unchangedGroup_repeatsOnlyAtGroupTimerAfterRepeatInterval() {
        AlertsConfig c = AlertsConfigs.bind(state, """
                  receivers: [ { name: ops, webhook-url-env: HOOK, env: [production] } ]
                  routes: [ { match: [check=~.+], receiver: ops, group-wait: 10s, group-interval: 2m,
                              repeat-interval: 5m } ]
                """, ENV);
        fire(0, "check", "disk");
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(13));
        // timer at 10s, 2m10s, 4m10s, 6m10s (5m since the last message: repeat), 8m10s, 10m10s, 12m10s (repeat)
        assertThat(titles(r)).containsExactly("+10s ops [FIRING:1] (all alerts)", "+370s ops [REPEAT:1] (all alerts)",
                "+730s ops [REPEAT:1] (all alerts)");
    }

    @Test
    void dedup_repeatedEventsOfOneAlert_areCountedInOneAlert() {
        AlertsConfig c = config("");
        for (int i = 0; i < 9; i++) {
            inputs.add(new PipelineInput.Event(T0.plusSeconds(i), Labels.of("check", "http-5xx", "tenant", "acme"),
                    AlertStatus.FIRING, 3));
        }
        Replay.Result r = replay(c, List.of(), Duration.ofMinutes(1));
        assertThat(r.messages()).singleElement().extracting(Message::lines)
                .isEqualTo(List.of("27 events from 1 tenant", "firing: env=production severity=warning (27 events since 2026-11-29T06:00:00Z)"));
    }
}
