package dev.hikkoshi.watch.alert.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.watch.alert.flap.FlapSettings;
import dev.hikkoshi.watch.testing.AlertsConfigs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsSectionTest {
    @TempDir
    Path state;

    @Test
    void bind_fullSection_readsEveryKey() {
        AlertsConfig c = AlertsConfigs.bind(state, """
                  receivers:
                    - { name: ops, slack-webhook-env: SLACK, env: [production, staging], budget-per-minute: 7 }
                    - { name: hook, webhook-url-env: HOOK, env: [production] }
                  routes:
                    - { match: [check=split-brain], receiver: ops, group-by: [tenant], group-wait: 0s,
                        group-interval: 1m, repeat-interval: 10m }
                    - { match: ["env!=staging", "tenant=~acme|globex"], receiver: hook }
                  inhibit: [ { source: [check=site-down], target: [tenant=~.+], equal: [site] } ]
                  flapping: { fire: 3, of: 5, clear-after: 4 }
                  silences-file: /var/lib/hikkoshi/silences.json
                """, Map.of("SLACK", "https://hooks.slack.com/services/T/B/x", "HOOK", "http://127.0.0.1:9000/h"));
        assertThat(c.environment()).isEqualTo("production");
        assertThat(c.receivers().get("ops").environments()).isEqualTo(Set.of("production", "staging"));
        assertThat(c.receivers().get("ops").budgetPerMinute()).isEqualTo(7);
        assertThat(c.receivers().get("ops").slackWebhook()).contains(URI.create("https://hooks.slack.com/services/T/B/x"));
        assertThat(c.receivers().get("hook").webhook()).contains(URI.create("http://127.0.0.1:9000/h"));
        assertThat(c.receivers().get("hook").budgetPerMinute()).isEqualTo(AlertsSection.DEFAULT_BUDGET);
        assertThat(c.routes().get(0).groupWait()).isZero();
        assertThat(c.routes().get(0).repeatInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.routes().get(1).matchers()).hasToString("[env!=staging, tenant=~acme|globex]");
        assertThat(c.routes().get(1).groupWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.routes().get(1).groupInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.routes().get(1).repeatInterval()).isEqualTo(Duration.ofHours(4));
        assertThat(c.inhibitRules()).hasSize(1);
        assertThat(c.flapping()).isEqualTo(new FlapSettings(3, 5, 4));
        assertThat(c.silencesFile()).isEqualTo(Path.of("/var/lib/hikkoshi/silences.json"));
        assertThat(c.auditFile()).isEqualTo(state.resolve("alerts/audit.jsonl"));
        assertThat(c.routes().get(1).receiver()).isEqualTo("hook");
        assertThat(Optional.of(c.routes().get(0).groupBy())).contains(java.util.List.of("tenant"));
    }

    @Test
    void bind_everyMistake_isReportedAtOnceWithItsPath() {
        assertThatThrownBy(() -> AlertsConfigs.bind(state, """
                  receivers:
                    - { name: ops, slack-webhook-env: UNSET, env: [production], budget-per-minute: 0, colour: red }
                    - { name: bare, env: [production] }
                    - { name: badurl, webhook-url-env: BAD, env: [production] }
                  routes:
                    - { match: [check], receiver: nobody, group-by: [Tenant], group-wait: soon,
                        group-interval: 5m, repeat-interval: 1m }
                  inhibit: [ { target: ["tenant=~("] } ]
                  flapping: { fire: 6, of: 5 }
                """, Map.of("BAD", "ftp://x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        config test.yaml has 13 problems:
                          alerts.receivers[0].colour: unknown key (expected: one of name, slack-webhook-env, webhook-url-env, env, budget-per-minute)
                          alerts.receivers[0].slack-webhook-env: UNSET (expected: the name of an environment variable that is set and not empty)
                          alerts.receivers[0].budget-per-minute: 0 (expected: an integer from 1 to 1000)
                          alerts.receivers[1]: {"name":"bare","env":["production"]} (expected: a receiver with slack-webhook-env or webhook-url-env (or both))
                          alerts.receivers[2].webhook-url-env: BAD (its value) (expected: an http(s) URL such as https://hooks.slack.com/services/...)
                          alerts.routes[0].match[0]: check (expected: a label condition such as check=http-5xx, env!=staging or tenant=~acme|globex)
                          alerts.routes[0].receiver: nobody (expected: one of the receivers: ops, bare, badurl)
                          alerts.routes[0].group-by[0]: Tenant (expected: a label name such as check, site or tenant)
                          alerts.routes[0].group-wait: soon (expected: a duration such as 500ms, 10s, 1m or 2h)
                          alerts.routes[0].repeat-interval: 1m (expected: a duration such as 500ms, 10s, 1m or 2h, at least the group-interval (5m): repeats are only sent when the group's timer fires)
                          alerts.inhibit[0].source: (missing) (expected: a list of label conditions such as [check=site-down])
                          alerts.inhibit[0].target[0]: tenant=~( (expected: a label condition such as check=http-5xx, env!=staging or tenant=~acme|globex)
                          alerts.flapping.fire: 6 (expected: at most 'of' (5): fire after N of the last M evaluations)""");
    }

    @Test
    void bind_replayMode_needsVariableNamesButNotTheirValues() {
        var doc = dev.hikkoshi.core.config.ConfigDocument.parse(Path.of("test.yaml"), AlertsConfigs.COMMON.formatted(state)
                + "alerts:\n  receivers: [ { name: ops, slack-webhook-env: UNSET, env: [production] } ]\n"
                + "  routes: [ { match: [check=x], receiver: ops } ]\n", Map.of());
        var common = dev.hikkoshi.core.config.CommonConfig.bind(doc.root());
        AlertsConfig c = AlertsSection.bind(doc.root().get("alerts"), common, AlertsSection.Secrets.NAMES_ONLY);
        doc.throwIfProblems();
        assertThat(c.receivers().get("ops").slackWebhook()).isEmpty();
    }
}
