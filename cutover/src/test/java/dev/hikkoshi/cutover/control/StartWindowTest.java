package dev.hikkoshi.cutover.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigProblem;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartWindowTest {
    private static final StartWindow NIGHT_TOKYO = new StartWindow(LocalTime.of(22, 0), LocalTime.of(4, 0),
            ZoneId.of("Asia/Tokyo"));

    private static Optional<StartWindow> bind(String yaml, List<String> problems) {
        ConfigDocument d = ConfigDocument.parse(Path.of("plan.yaml"), yaml, Map.of());
        Optional<StartWindow> w = StartWindow.bind(d.root().get("plan").get("start-window"));
        d.problems().list().stream().map(ConfigProblem::toString).forEach(problems::add);
        return w;
    }

    @Test
    void bind_readsAWindowCrossingMidnight_andNoWindowIsNoLimit() {
        List<String> problems = new java.util.ArrayList<>();
        assertThat(bind("plan: { start-window: { from: 22:00, to: \"04:00\", zone: Asia/Tokyo } }", problems))
                .contains(NIGHT_TOKYO);
        assertThat(bind("plan: { waves: [] }", problems)).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void bind_reportsEveryProblemAsPathValueExpected() {
        List<String> problems = new java.util.ArrayList<>();
        assertThat(bind("plan: { start-window: { from: 9, to: \"25:00\", zone: Mars/Olympus, until: x } }",
                problems)).isEmpty();
        assertThat(problems).containsExactly(
                "plan.start-window.until: unknown key (expected: one of from, to, zone)",
                "plan.start-window.from: 9 (expected: a time of day as HH:MM, such as \"22:00\")",
                "plan.start-window.to: 25:00 (expected: a time of day as HH:MM, such as \"22:00\")",
                "plan.start-window.zone: Mars/Olympus (expected: a time zone such as Asia/Tokyo or UTC)");
        problems.clear();
        bind("plan: { start-window: { from: \"22:00\", to: \"22:00\" } }", problems);
        assertThat(problems).containsExactly(
                "plan.start-window.zone: (missing) (expected: a time zone such as Asia/Tokyo or UTC)",
                "plan.start-window.to: 22:00 (expected: a time other than from (22:00): a window needs a length)");
        problems.clear();
        bind("plan: { start-window: nightly }", problems);
        assertThat(problems).containsExactly("plan.start-window: nightly (expected: a window such as "
                + "{from: \"22:00\", to: \"04:00\", zone: Asia/Tokyo})");
    }

    @Test
    void allows_fromInclusiveToExclusive_acrossMidnight_inItsZone() {
        // 22:00 in Tokyo is 13:00 UTC; 04:00 is 19:00 UTC.
        assertThat(NIGHT_TOKYO.allows(Instant.parse("2026-11-29T12:59:59Z"))).isFalse();
        assertThat(NIGHT_TOKYO.allows(Instant.parse("2026-11-29T13:00:00Z"))).isTrue();
        assertThat(NIGHT_TOKYO.allows(Instant.parse("2026-11-29T16:00:00Z"))).isTrue(); // 01:00 in Tokyo
        assertThat(NIGHT_TOKYO.allows(Instant.parse("2026-11-29T18:59:59Z"))).isTrue();
        assertThat(NIGHT_TOKYO.allows(Instant.parse("2026-11-29T19:00:00Z"))).isFalse();
        StartWindow day = new StartWindow(LocalTime.of(9, 0), LocalTime.of(17, 30), ZoneId.of("UTC"));
        assertThat(day.allows(Instant.parse("2026-11-29T08:59:00Z"))).isFalse();
        assertThat(day.allows(Instant.parse("2026-11-29T09:00:00Z"))).isTrue();
        assertThat(day.allows(Instant.parse("2026-11-29T17:30:00Z"))).isFalse();
    }

    @Test
    void nextOpening_andWhyNothingStarts() {
        Instant noonTokyo = Instant.parse("2026-11-29T03:00:00Z");
        assertThat(NIGHT_TOKYO.nextOpening(noonTokyo)).isEqualTo(Instant.parse("2026-11-29T13:00:00Z"));
        assertThat(NIGHT_TOKYO.closedReason(noonTokyo)).isEqualTo("outside the start window 22:00-04:00 Asia/Tokyo: "
                + "no move starts until 22:00; moves already started go on");
        Instant fiveTokyo = Instant.parse("2026-11-29T20:00:00Z"); // 05:00 on the 30th in Tokyo
        assertThat(NIGHT_TOKYO.nextOpening(fiveTokyo)).isEqualTo(Instant.parse("2026-11-30T13:00:00Z"));
        StartWindow morning = new StartWindow(LocalTime.of(6, 0), LocalTime.of(8, 0), ZoneId.of("UTC"));
        assertThat(morning.closedReason(Instant.parse("2026-11-29T09:00:00Z"))).isEqualTo("outside the start window "
                + "06:00-08:00 UTC: no move starts until 06:00 tomorrow; moves already started go on");
        assertThat(NIGHT_TOKYO.nextOpening(Instant.parse("2026-11-29T14:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-29T14:00:00Z"));
    }
}
