package dev.hikkoshi.watch.alert.config;

import static dev.hikkoshi.core.config.ConfigCatalog.literal;

import dev.hikkoshi.core.config.ConfigCatalog;
import dev.hikkoshi.watch.signal.SignalSettings;
import java.time.Duration;
import java.util.List;

/**
 * The documented keys of the {@code alerts} section ({@link AlertsSection}) and its {@code signals}
 * ({@link dev.hikkoshi.watch.signal.SignalsSection}). Rendered into docs/config.md by the app's generator;
 * defaults come from the binders' own constants.
 */
public final class AlertsConfigKeys {
    private AlertsConfigKeys() {
    }

    /** {@code alerts} and {@code alerts.signals}, in the reference's order. */
    public static List<ConfigCatalog> catalogs() {
        return List.of(alerts(), signals());
    }

    private static ConfigCatalog alerts() {
        return ConfigCatalog.of("alerts", "alerts")
                .intro("The alert pipeline (module `watch`; stages and timing in `docs/watch.md`). Read by `hikkoshi"
                        + " alerts replay`,\n`alerts log` and `alerts silence`, and by `hikkoshi run` and `hikkoshi"
                        + " controller`; `replay` checks that\nwebhook variables are named but not that they are"
                        + " set.")
                .key("receivers[].name", "required", "the receiver's name, used by routes; unique")
                .key("receivers[].slack-webhook-env", "", "variable holding a Slack incoming-webhook URL"
                        + " (`https://hooks.slack.com/services/...`)")
                .key("receivers[].webhook-url-env", "", "variable holding a generic JSON webhook URL; a receiver"
                        + " needs one of the two (or both)")
                .key("receivers[].env", "none", "the environments whose alerts this receiver accepts, such as"
                        + " `[production]`. **A receiver naming none accepts nothing**, whatever the routes say;"
                        + " a file whose `environment` no receiver accepts is a problem")
                .key("receivers[].budget-per-minute", literal(AlertsSection.DEFAULT_BUDGET), "at most this many"
                        + " messages in any 60 s, digests included; what does not fit becomes one digest")
                .key("routes", "required in `alerts`", "the routes, tried in order; the first match wins")
                .key("routes[].match", "`[]` (all)", "label conditions, all must hold: `name=value`, `name!=value`,"
                        + " `name=~regex` (whole value)")
                .key("routes[].receiver", "required", "a receiver's name")
                .key("routes[].group-by", "`[]`", "label names; alerts with equal values share one group (and its"
                        + " messages)")
                .key("routes[].group-wait", literal(AlertsSection.DEFAULT_GROUP_WAIT), "a new group waits this long"
                        + " before its first message")
                .key("routes[].group-interval", literal(AlertsSection.DEFAULT_GROUP_INTERVAL), "then its timer fires"
                        + " this often; it sends an update only if something changed")
                .key("routes[].repeat-interval", literal(AlertsSection.DEFAULT_REPEAT_INTERVAL), "resend unchanged"
                        + " firing alerts after this long; at least `group-interval` (checked at timer firings"
                        + " only)")
                .key("inhibit[].source", "required", "label conditions of the inhibiting alert, such as"
                        + " `[check=site-down]`")
                .key("inhibit[].target", "`[]`", "label conditions of the alerts it mutes, such as `[tenant=~.+]`")
                .key("inhibit[].equal", "`[]`", "labels that must be equal on both, such as `[site]`")
                .key("flapping.fire", "`1`", "an alert fires once `fire` of its last `of` evaluations were firing")
                .key("flapping.of", "`1`", "the evaluations looked at (at most 64)")
                .key("flapping.clear-after", "`1`", "it clears after this many resolved evaluations in a row"
                        + " (hysteresis)")
                .key("silences-file", "`<state-dir>/alerts/silences.json`", "where `hikkoshi alerts silence` keeps"
                        + " silences")
                .key("signals", "", "thresholds of hikkoshi's own signals, below")
                .notes("""
                        The audit log of suppressions is `<state-dir>/alerts/audit.jsonl`.
                        ```yaml
                        alerts:
                          receivers:
                            - { name: ops, slack-webhook-env: SLACK_WEBHOOK, env: [production], budget-per-minute: 5 }
                            - { name: staging, webhook-url-env: STAGING_HOOK, env: [staging] }
                          routes:
                            - { match: [check=split-brain], receiver: ops, group-by: [tenant], group-wait: 0s, group-interval: 1m }
                            - { match: [env=staging], receiver: staging }
                            - { match: [check=~.+], receiver: ops, group-by: [check, site], group-wait: 30s, group-interval: 5m }
                          inhibit:
                            - { source: [check=site-down], target: [tenant=~.+], equal: [site] }
                          flapping: { fire: 3, of: 5, clear-after: 5 }
                        ```""")
                .build();
    }

    private static ConfigCatalog signals() {
        SignalSettings d = SignalSettings.DEFAULTS;
        return ConfigCatalog.of("alerts.signals", "alerts.signals")
                .intro("What turns hikkoshi's own signals into alerts (docs/watch.md, Signals); read by `hikkoshi run`"
                        + " and\n`hikkoshi controller`.")
                .key("lag-warning", literal(d.lagWarning()), "a stream behind its source by more than this fires"
                        + " `stream-lag` (warning); at most `lag-critical`")
                .key("lag-critical", literal(d.lagCritical()), "... and by more than this, `stream-lag` (critical)")
                .key("move-stuck", literal(d.moveStuck()), "a move in one working state for longer fires"
                        + " `move-stuck`")
                .key("error-rate", "`" + percent(d.errorRatePercent()) + "`", "a tenant's 5xx share on a site above"
                        + " this fires `http-5xx`")
                .key("min-requests", literal(d.minRequests()), "fewer requests in the window say nothing about the"
                        + " 5xx rate or latency")
                .key("p99", literal(d.p99()), "a tenant's p99 latency on a site above this fires `http-latency`")
                .key("site-error-rate", "`" + percent(d.siteErrorPercent()) + "`", "a whole site's 5xx share (all"
                        + " tenants) above this fires `site-errors`: the site itself is failing")
                .key("interval", literal(Duration.ofSeconds(5)), "how often the polled signals are evaluated (at"
                        + " least 100ms)")
                .build();
    }

    private static String percent(double value) {
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)) + "%";
    }
}
