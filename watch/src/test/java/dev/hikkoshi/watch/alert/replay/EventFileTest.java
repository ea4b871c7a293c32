package dev.hikkoshi.watch.alert.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.MoveHold;
import dev.hikkoshi.watch.alert.PipelineInput;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFileTest {
    private static List<PipelineInput> parse(String text) {
        return EventFile.parse("events.jsonl", text.lines().iterator());
    }

    @Test
    void parse_eventsAndMoveFacts_withDefaults() {
        List<PipelineInput> in = parse("""
                {"time":"2026-11-29T06:00:00Z","labels":{"check":"http-5xx","tenant":"acme"}}

                # comment
                {"time":"2026-11-29T06:00:01Z","move":{"tenant":"acme","hold":"rolling-back"}}
                {"time":"2026-11-29T06:00:02Z","labels":{"check":"lag","severity":"critical"},"status":"resolved","count":7}
                """);
        assertThat(in).containsExactly(
                new PipelineInput.Event(Instant.parse("2026-11-29T06:00:00Z"),
                        Labels.of("check", "http-5xx", "tenant", "acme"), AlertStatus.FIRING, 1),
                new PipelineInput.MoveFact(Instant.parse("2026-11-29T06:00:01Z"), TenantId.of("acme"), MoveHold.ROLLING_BACK),
                new PipelineInput.Event(Instant.parse("2026-11-29T06:00:02Z"),
                        Labels.of("check", "lag", "severity", "critical"), AlertStatus.RESOLVED, 7));
    }

    @Test
    void write_thenParse_roundTrips() throws Exception {
        List<PipelineInput> in = parse("""
                {"time":"2026-11-29T06:00:00Z","labels":{"check":"http-5xx","tenant":"acme"},"count":3}
                {"time":"2026-11-29T06:00:01Z","move":{"tenant":"acme","hold":"frozen"}}
                """);
        StringWriter w = new StringWriter();
        EventFile.write(in, w);
        assertThat(parse(w.toString())).isEqualTo(in);
    }

    @Test
    void parse_badLines_nameTheLineAndTheFix() {
        assertThatThrownBy(() -> parse("{\"time\":\"yesterday\",\"labels\":{\"check\":\"x\"}}"))
                .isInstanceOf(UserException.class)
                .hasMessage("events.jsonl line 1: time: yesterday (expected: an ISO-8601 instant such as 2026-11-29T06:00:00Z)");
        assertThatThrownBy(() -> parse("{\"time\":\"2026-11-29T06:00:00Z\",\"labels\":{\"check\":\"x\"},\"status\":\"ok\"}"))
                .hasMessage("events.jsonl line 1: status: ok (expected: firing or resolved)");
        assertThatThrownBy(() -> parse("{\"time\":\"2026-11-29T06:00:00Z\",\"labels\":{\"check\":\"x\"},\"count\":0}"))
                .hasMessage("events.jsonl line 1: count: 0 (expected: an integer of at least 1)");
        assertThatThrownBy(() -> parse("{\"time\":\"2026-11-29T06:00:00Z\",\"move\":{\"tenant\":\"acme\",\"hold\":\"x\"}}"))
                .hasMessage("events.jsonl line 1: move.hold: x (expected: one of none, frozen, baking, rolling-back)");
        assertThatThrownBy(() -> parse("""
                {"time":"2026-11-29T06:00:05Z","labels":{"check":"x"}}
                {"time":"2026-11-29T06:00:00Z","labels":{"check":"x"}}
                """)).hasMessage("events.jsonl line 2: time: 2026-11-29T06:00:00Z (expected: a time not before the"
                + " previous line's 2026-11-29T06:00:05Z (lines in time order))");
        assertThatThrownBy(() -> parse("not json")).hasMessageStartingWith("events.jsonl line 1: not json (expected: a JSON"
                + " object with time and labels (and status, count), or time and move (not valid JSON: ");
    }
}
