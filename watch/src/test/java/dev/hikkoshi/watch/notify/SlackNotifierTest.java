package dev.hikkoshi.watch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.testing.RecordingEndpoint;
import dev.hikkoshi.watch.testing.RecordingEndpoint.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Slack notifier against a local server standing in for Slack's incoming webhooks. */
class SlackNotifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeliveryPolicy FAST = new DeliveryPolicy(Duration.ZERO, Duration.ofMillis(20),
            Duration.ofMillis(100), 4, 100, Duration.ofSeconds(5));

    private RecordingEndpoint slack;
    private final List<DeliveryProblem> problems = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        slack = new RecordingEndpoint();
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private static Message message(int n, int lines) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            l.add("firing: tenant=t" + i + " <b>&</b> " + "x".repeat(80));
        }
        return new Message("ops", Instant.parse("2026-11-29T06:00:00Z"), Message.Kind.FIRING, "g" + n,
                "[FIRING:1] check=http-5xx #" + n, l, 1);
    }

    @Test
    void slack_429WithRetryAfter_waitsThatLongThenDelivers() throws Exception {
        slack.answer(new Answer(429, "rate_limited", Map.of("Retry-After", "1")));
        try (Notifier n = Notifier.slack("ops", slack.uri("/services/T/B/x"), FAST, problems::add)) {
            n.send(message(1, 1));
            List<RecordingEndpoint.Received> got = slack.awaitReceived(2);
            assertThat(n.drain(Duration.ofSeconds(5))).isTrue();
            long gapMillis = (got.get(1).nanos() - got.get(0).nanos()) / 1_000_000;
            assertThat(gapMillis).isGreaterThanOrEqualTo(1000);
            assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
            assertThat(problems).isEmpty();
        }
    }

    @Test
    void slack_invalidToken_reportedOnceAsConfigurationError_notRetried() throws Exception {
        slack.answer(Answer.of(403, "invalid_token"));
        try (Notifier n = Notifier.slack("ops", slack.uri("/services/T/B/x"), FAST, problems::add)) {
            n.send(message(1, 1));
            assertThat(n.drain(Duration.ofSeconds(5))).isTrue();
            n.send(message(2, 1));
            n.send(message(3, 1));
            assertThat(n.drain(Duration.ofSeconds(5))).isTrue();
            assertThat(slack.received()).hasSize(1);
            assertThat(n.misconfigured()).isTrue();
            assertThat(problems).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(DeliveryProblem.Kind.CONFIGURATION);
                assertThat(p.toString()).isEqualTo("slack notifier of receiver ops: Slack answered 403 invalid_token:"
                        + " the webhook URL in the receiver's slack-webhook-env is revoked or points to a channel or app"
                        + " that no longer accepts it; create a new incoming webhook and update the variable");
            });
        }
    }

    @Test
    void slack_channelArchived_isAConfigurationErrorToo() throws Exception {
        slack.answer(Answer.of(410, "channel_is_archived"));
        try (Notifier n = Notifier.slack("ops", slack.uri("/x"), FAST, problems::add)) {
            n.send(message(1, 1));
            assertThat(n.drain(Duration.ofSeconds(5))).isTrue();
            assertThat(problems).extracting(DeliveryProblem::kind).containsExactly(DeliveryProblem.Kind.CONFIGURATION);
        }
    }

    @Test
    void slack_serverErrors_retriedWithBackoff_thenGivesUpAndReports() throws Exception {
        slack.answer(Answer.of(500, "rollup_error"), Answer.of(503, ""), Answer.of(500, ""), Answer.of(500, ""));
        try (Notifier n = Notifier.slack("ops", slack.uri("/x"), FAST, problems::add)) {
            n.send(message(1, 1));
            assertThat(n.drain(Duration.ofSeconds(5))).isTrue();
            assertThat(slack.received()).hasSize(4);
            assertThat(problems).singleElement().extracting(DeliveryProblem::detail)
                    .isEqualTo("gave up after 4 attempts (last: Slack answered 500 ); dropped: [FIRING:1] check=http-5xx #1");
            n.send(message(2, 1));
            assertThat(n.drain(Duration.ofSeconds(5))).isTrue();
            assertThat(slack.received()).hasSize(5);
        }
    }

    @Test
    void slack_invalidPayload_rejectsThatMessageOnly() throws Exception {
        slack.answer(Answer.of(400, "invalid_payload"));
        try (Notifier n = Notifier.slack("ops", slack.uri("/x"), FAST, problems::add)) {
            n.send(message(1, 1));
            n.send(message(2, 1));
            assertThat(n.drain(Duration.ofSeconds(5))).isTrue();
            assertThat(slack.received()).hasSize(2);
            assertThat(problems).extracting(DeliveryProblem::kind).containsExactly(DeliveryProblem.Kind.REJECTED);
        }
    }

    @Test
    void slack_aboutOneMessagePerSecond_perWebhook() throws Exception {
        DeliveryPolicy paced = new DeliveryPolicy(Duration.ofMillis(300), Duration.ofMillis(20), Duration.ofMillis(100),
                4, 100, Duration.ofSeconds(5));
        try (Notifier n = Notifier.slack("ops", slack.uri("/x"), paced, problems::add)) {
            for (int i = 0; i < 3; i++) {
                n.send(message(i, 1));
            }
            List<RecordingEndpoint.Received> got = slack.awaitReceived(3);
            assertThat((got.get(1).nanos() - got.get(0).nanos()) / 1_000_000).isGreaterThanOrEqualTo(300);
            assertThat((got.get(2).nanos() - got.get(1).nanos()) / 1_000_000).isGreaterThanOrEqualTo(300);
            assertThat(DeliveryPolicy.SLACK.minSpacing()).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void slack_hugeMessage_staysWithinBlockKitLimits() throws Exception {
        try (Notifier n = Notifier.slack("ops", slack.uri("/x"), FAST, problems::add)) {
            n.send(message(1, 5_000));
            JsonNode body = JSON.readTree(slack.awaitReceived(1).get(0).body());
            JsonNode blocks = body.path("blocks");
            assertThat(blocks.size()).isLessThanOrEqualTo(50);
            int total = 0;
            for (JsonNode b : blocks) {
                String text = b.path("text").path("text").asText();
                if (b.path("type").asText().equals("section")) {
                    assertThat(text.length()).isLessThanOrEqualTo(3000);
                }
                total += text.length();
            }
            assertThat(total).isLessThanOrEqualTo(12_000);
            assertThat(slack.received().get(0).body().length()).isLessThan(16_000);
            String last = blocks.get(blocks.size() - 1).path("text").path("text").asText();
            assertThat(last).endsWith("more lines (hikkoshi alerts replay shows them all)");
            assertThat(blocks.get(1).path("text").path("text").asText())
                    .startsWith("firing: tenant=t0 &lt;b&gt;&amp;&lt;/b&gt; ");
            assertThat(body.path("text").asText()).isEqualTo("[FIRING:1] check=http-5xx #1");
            assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        }
    }

    @Test
    void webhook_postsTheMessageAsJson() throws Exception {
        try (Notifier n = Notifier.webhook("ops", slack.uri("/hook"), FAST, problems::add)) {
            n.send(message(1, 2));
            JsonNode body = JSON.readTree(slack.awaitReceived(1).get(0).body());
            assertThat(body.path("receiver").asText()).isEqualTo("ops");
            assertThat(body.path("kind").asText()).isEqualTo("firing");
            assertThat(body.path("lines").size()).isEqualTo(2);
            assertThat(body.path("text").asText()).startsWith("[FIRING:1] check=http-5xx #1\nfiring: tenant=t0 <b>");
        }
    }

    @Test
    void send_neverBlocks_fullQueueDropsAndReports() throws Exception {
        DeliveryPolicy tiny = new DeliveryPolicy(Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofMillis(100),
                4, 1, Duration.ofSeconds(5));
        try (Notifier n = Notifier.slack("ops", slack.uri("/x"), tiny, problems::add)) {
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                n.send(message(i, 1));
            }
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
            assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p.kind()).isEqualTo(DeliveryProblem.Kind.QUEUE_FULL));
        }
    }
}
