package dev.hikkoshi.watch.alert.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.watch.alert.PipelineInput;
import dev.hikkoshi.watch.alert.audit.AuditLog;
import dev.hikkoshi.watch.alert.audit.Suppression;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.alert.message.MessageText;
import dev.hikkoshi.watch.alert.replay.Replay;
import dev.hikkoshi.watch.alert.silence.SilenceStore;
import dev.hikkoshi.watch.notify.DeliveryPolicy;
import dev.hikkoshi.watch.testing.AlertsConfigs;
import dev.hikkoshi.watch.testing.ManualClock;
import dev.hikkoshi.watch.testing.RecordingEndpoint;
import dev.hikkoshi.watch.testing.Storm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live service delivers over HTTP exactly what a replay of the same events prints. */
class AlertServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeliveryPolicy FAST = new DeliveryPolicy(Duration.ZERO, Duration.ofMillis(20),
            Duration.ofMillis(100), 4, 1000, Duration.ofSeconds(5));

    @TempDir
    Path state;

    @Test
    void live_storm_sendsToSlackAndWebhookExactlyWhatReplayPrints() throws Exception {
        try (RecordingEndpoint slack = new RecordingEndpoint(); RecordingEndpoint hook = new RecordingEndpoint()) {
            AlertsConfig config = AlertsConfigs.bind(state, """
                      receivers: [ { name: ops, slack-webhook-env: SLACK, webhook-url-env: HOOK, env: [production],
                                     budget-per-minute: 5 } ]
                      routes: [ { match: [check=http-5xx], receiver: ops, group-by: [tenant],
                                  group-wait: 30s, group-interval: 5m } ]
                    """, Map.of("SLACK", slack.uri("/services/T/B/x").toString(), "HOOK", hook.uri("/hook").toString()));
            List<PipelineInput> events = Storm.events();
            Path auditFile = AuditLog.fileIn(state);
            ManualClock clock = new ManualClock(Storm.START);
            try (AuditLog audit = AuditLog.append(auditFile);
                 AlertService live = new AlertService(config, SilenceStore.open(SilenceStore.fileIn(state)), audit,
                         clock, Duration.ofSeconds(1), FAST, FAST)) {
                int next = 0;
                for (Instant t = Storm.START; !t.isAfter(Storm.START.plusSeconds(600)); t = t.plusMillis(250)) {
                    while (next < events.size() && !events.get(next).time().isAfter(t)) {
                        clock.set(events.get(next).time());
                        live.offer(events.get(next++));
                    }
                    clock.set(t);
                    live.tick();
                }
                assertThat(live.drain(Duration.ofSeconds(20))).isTrue();
            }
            Replay.Result replay = Replay.run(config, List.of(), events, Optional.of(Duration.ofMinutes(10)));

            assertThat(replay.messages()).hasSize(10);
            List<String> replayed = replay.messages().stream().map(MessageText::body).toList();
            List<String> viaWebhook = new ArrayList<>();
            for (RecordingEndpoint.Received r : hook.received()) {
                viaWebhook.add(JSON.readTree(r.body()).path("text").asText());
            }
            assertThat(viaWebhook).isEqualTo(replayed);
            List<String> slackTitles = new ArrayList<>();
            for (RecordingEndpoint.Received r : slack.received()) {
                JsonNode body = JSON.readTree(r.body());
                slackTitles.add(body.path("text").asText());
            }
            assertThat(slackTitles).isEqualTo(replay.messages().stream().map(Message::title).toList());
            assertThat(AuditLog.read(auditFile)).extracting(Suppression::toString)
                    .isEqualTo(replay.suppressions().stream().map(Suppression::toString).toList());
        }
    }
}
