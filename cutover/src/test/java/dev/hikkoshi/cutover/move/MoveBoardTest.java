package dev.hikkoshi.cutover.move;

import static dev.hikkoshi.cutover.move.MoveFixture.ACME;
import static dev.hikkoshi.cutover.move.MoveFixture.planned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalReplay;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoveBoardTest {
    @TempDir
    Path dir;

    @Test
    void verdictsAndTransitions_updateTheStatus_andSurviveARestartThroughTheJournal() throws Exception {
        MoveEvent.Verdict bad = new MoveEvent.Verdict(ACME, 1, 3, MoveEvent.Judgement.BAD, "p99 912 ms > 800 ms",
                Instant.parse("2026-11-29T09:30:00Z"));
        Instant frozenAt;
        try (MoveFixture f = new MoveFixture(dir)) {
            MoveAttempt a = planned(ACME);
            for (MoveState s : List.of(MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN, MoveState.FINAL_SYNC,
                    MoveState.SWITCHED, MoveState.BAKING)) {
                a = f.log.transition(a, s, "ok", s == MoveState.FINAL_SYNC ? Map.of(NoteKeys.FREEZE_MILLIS, "340") : Map.of());
            }
            frozenAt = f.journaled().get(5).at();
            f.log.append(bad);
            MoveStatus status = f.board.status(ACME).orElseThrow();
            assertThat(status.lastVerdict()).contains("window 3: p99 912 ms > 800 ms: bad");
            assertThat(status.freezeTime()).contains(Duration.ofMillis(340));
            assertThat(status.since()).isEqualTo(frozenAt);
            assertThat(f.events.get(f.events.size() - 1)).isEqualTo(bad);
        }
        try (Journal journal = Journal.openIn(dir)) {
            MoveBoard board = new MoveBoard();
            MoveLog log = new MoveLog(journal, board, Clock.systemUTC());
            assertThat(log.verdicts(ACME, 1)).containsExactly(bad);
            assertThat(log.verdicts(ACME, 2)).isEmpty();
            board.track(JournalReplay.of(journal.file(), journal.replayed()).move(ACME).orElseThrow());
            MoveStatus status = board.status(ACME).orElseThrow();
            assertThat(status.state()).isEqualTo(MoveState.BAKING);
            assertThat(status.since()).isEqualTo(frozenAt);
            assertThat(status.lastVerdict()).contains("window 3: p99 912 ms > 800 ms: bad");
            assertThat(status.freezeTime()).contains(Duration.ofMillis(340));
        }
    }

    @Test
    void aThrowingListener_doesNotStopTheOthers_andAClosedSubscriptionGetsNothing() throws Exception {
        MoveBoard board = new MoveBoard();
        List<MoveEvent> seen = new ArrayList<>();
        board.subscribe(e -> {
            throw new IllegalStateException("dashboard bug");
        });
        AutoCloseable handle = board.subscribe(seen::add);
        MoveEvent.Notice n = new MoveEvent.Notice(ACME, MoveEvent.Severity.INFO, "hello", Instant.now());
        board.publish(n);
        handle.close();
        board.publish(n);
        assertThat(seen).containsExactly(n);
    }
}
