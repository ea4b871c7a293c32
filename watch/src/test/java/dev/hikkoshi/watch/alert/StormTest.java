package dev.hikkoshi.watch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.watch.alert.audit.SuppressionReason;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.alert.replay.Replay;
import dev.hikkoshi.watch.testing.AlertsConfigs;
import dev.hikkoshi.watch.testing.Storm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storm scenarios of issue 7's acceptance, on simulated time. */
class StormTest {
    private static final Pattern GROUP_LINE = Pattern.compile("\\[FIRING:1] tenant=(t\\d\\d): ([\\d,]+) events");
    private static final Pattern TENANT_TITLE = Pattern.compile("\\[FIRING:1] tenant=(t\\d\\d)");

    @TempDir
    Path state;

    @Test
    void storm_groupedByCheckAndSite_sendsExactlyTwoMessagesInTenMinutes() {
        AlertsConfig config = AlertsConfigs.bind(state, """
                  receivers: [ { name: ops, webhook-url-env: HOOK, env: [production], budget-per-minute: 5 } ]
                  routes: [ { match: [check=http-5xx], receiver: ops, group-by: [check, site],
                              group-wait: 30s, group-interval: 5m } ]
                """, Map.of("HOOK", "http://127.0.0.1:9/hook"));

        Replay.Result r = Replay.run(config, List.of(), Storm.events(), Optional.of(Duration.ofMinutes(10)));

        assertThat(r.messages()).hasSize(2);
        Message first = r.messages().get(0);
        Message update = r.messages().get(1);
        assertThat(first.time()).isEqualTo(Storm.START.plusSeconds(30));
        assertThat(first.kind()).isEqualTo(Message.Kind.FIRING);
        assertThat(first.title()).isEqualTo("[FIRING:50] check=http-5xx site=cloud");
        assertThat(Storm.before(first.time(), null)).isEqualTo(5_000);
        assertThat(first.events()).isEqualTo(5_000);
        assertThat(first.lines().get(0)).isEqualTo("5,000 events from 50 tenants");
        assertThat(update.time()).isEqualTo(Storm.START.plus(Duration.ofMinutes(5)).plusSeconds(30));
        assertThat(update.kind()).isEqualTo(Message.Kind.UPDATE);
        assertThat(update.events()).isEqualTo(10_000);
        assertThat(update.lines().get(0)).isEqualTo("10,000 events from 50 tenants");
        assertThat(update.lines()).hasSize(51).contains(
                "firing: env=production severity=warning tenant=t07 (200 events since 2026-11-29T06:00:00.042Z)");
    }

    @Test
    void storm_groupedByTenantWithBudgetFive_firstMinuteIsFourGroupMessagesAndOneDigestOfTheOther46() {
        AlertsConfig config = AlertsConfigs.bind(state, """
                  receivers: [ { name: ops, webhook-url-env: HOOK, env: [production], budget-per-minute: 5 } ]
                  routes: [ { match: [check=http-5xx], receiver: ops, group-by: [tenant],
                              group-wait: 30s, group-interval: 5m } ]
                """, Map.of("HOOK", "http://127.0.0.1:9/hook"));

        Replay.Result r = Replay.run(config, List.of(), Storm.events(), Optional.of(Duration.ofMinutes(10)));

        Instant minute = Storm.START.plusSeconds(60);
        List<Message> firstMinute = r.messages().stream().filter(m -> m.time().isBefore(minute)).toList();
        List<Message> groups = firstMinute.stream().filter(m -> m.kind() != Message.Kind.DIGEST).toList();
        List<Message> digests = firstMinute.stream().filter(m -> m.kind() == Message.Kind.DIGEST).toList();
        assertThat(groups).hasSize(4);
        assertThat(digests).hasSize(1);
        Message digest = digests.get(0);
        assertThat(digest.title()).isEqualTo("[DIGEST] and 46 more groups like this");
        assertThat(digest.lines()).hasSize(47);

        Set<String> named = new HashSet<>();
        long sum = 0;
        long received = 0;
        for (Message m : groups) {
            var t = TENANT_TITLE.matcher(m.title());
            assertThat(t.matches()).as(m.title()).isTrue();
            assertThat(named.add(t.group(1))).isTrue();
            assertThat(m.events()).isEqualTo(Storm.before(m.time(), t.group(1)));
            sum += m.events();
            received += Storm.before(m.time(), t.group(1));
        }
        long digestSum = 0;
        for (String line : digest.lines().subList(1, digest.lines().size())) {
            var g = GROUP_LINE.matcher(line);
            assertThat(g.matches()).as(line).isTrue();
            assertThat(named.add(g.group(1))).as("each group named once").isTrue();
            long n = Long.parseLong(g.group(2).replace(",", ""));
            assertThat(n).isEqualTo(Storm.before(digest.time(), g.group(1)));
            digestSum += n;
            received += Storm.before(digest.time(), g.group(1));
        }
        assertThat(named).hasSize(50);
        assertThat(digest.events()).isEqualTo(digestSum);
        assertThat(digest.lines().get(0)).isEqualTo(String.format("%,d events in 46 groups", digestSum));
        assertThat(sum + digestSum).isEqualTo(received);
        // every group was due by 31 s: the first at 30 s alone, the other 49 together at 31 s
        assertThat(groups.get(0).time()).isEqualTo(Storm.START.plusSeconds(30));
        assertThat(digest.time()).isEqualTo(Storm.START.plusSeconds(31));
        assertThat(received).isEqualTo(Storm.before(Storm.START.plusSeconds(31), null) + Storm.before(
                Storm.START.plusSeconds(30), "t00") - Storm.before(Storm.START.plusSeconds(31), "t00"));
        assertThat(r.suppressions()).filteredOn(s -> s.reason() == SuppressionReason.OVER_BUDGET).hasSize(46 + 46);
    }

    @Test
    void storm_budgetWindowSlides_secondWaveAtFiveMinutesIsAgainBudgeted() {
        AlertsConfig config = AlertsConfigs.bind(state, """
                  receivers: [ { name: ops, webhook-url-env: HOOK, env: [production], budget-per-minute: 5 } ]
                  routes: [ { match: [check=http-5xx], receiver: ops, group-by: [tenant],
                              group-wait: 30s, group-interval: 5m } ]
                """, Map.of("HOOK", "http://127.0.0.1:9/hook"));

        Replay.Result r = Replay.run(config, List.of(), Storm.events(), Optional.of(Duration.ofMinutes(10)));

        List<Instant> times = new ArrayList<>(r.messages().stream().map(Message::time).toList());
        assertThat(r.messages()).hasSize(10);
        for (Instant t : times) {
            long inWindow = times.stream().filter(x -> !x.isAfter(t) && x.isAfter(t.minusSeconds(60))).count();
            assertThat(inWindow).as("messages in the minute up to " + t).isLessThanOrEqualTo(5);
        }
        long updateTotal = r.messages().subList(5, 10).stream().mapToLong(Message::events).sum();
        assertThat(updateTotal).isEqualTo(10_000);
    }
}
