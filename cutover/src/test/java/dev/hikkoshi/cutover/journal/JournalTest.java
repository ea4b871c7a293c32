package dev.hikkoshi.cutover.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class JournalTest {
    private static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
    private static final TenantId ACME = TenantId.of("acme");

    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        warnings.start();
        ((Logger) LoggerFactory.getLogger(Journal.class)).addAppender(warnings);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(Journal.class)).detachAppender(warnings);
    }

    static JournalEntry.Transition transition(MoveState from, MoveState to, int attempt, Map<String, String> notes,
                                              int second) {
        return new JournalEntry.Transition(ACME, "pilot", attempt, SiteId.of("legacy"), SiteId.of("cloud"), from, to,
                "because " + from + " ✓", notes, T0.plusSeconds(second));
    }

    private static List<JournalEntry> sample() {
        return List.of(
                transition(MoveState.PLANNED, MoveState.COPYING, 1, Map.of("forward.position", "bin.000003:4711"), 1),
                new JournalEntry.PlanControl(JournalEntry.PlanAction.PAUSED, Optional.empty(), "ops-alice",
                        "schema change", T0.plusSeconds(2)),
                new JournalEntry.Verdict(ACME, 1, 3, MoveEvent.Judgement.BAD, "p99 912 ms > 800 ms", T0.plusSeconds(3)),
                new JournalEntry.PlanControl(JournalEntry.PlanAction.APPROVED, Optional.of("pilot"), "ops-bob",
                        "looks fine", T0.plusSeconds(4)),
                transition(MoveState.COPYING, MoveState.SYNCED, 1, Map.of(), 5));
    }

    private Path written(List<JournalEntry> entries) {
        Path file = dir.resolve("state").resolve("moves.journal");
        try (Journal journal = Journal.open(file)) {
            entries.forEach(journal::append);
        }
        return file;
    }

    @Test
    void append_thenReopen_readsEveryEntryBackInOrder() {
        Path file = written(sample());
        try (Journal journal = Journal.openIn(dir.resolve("state"))) {
            assertThat(journal.replayed()).containsExactlyElementsOf(sample());
        }
        assertThat(warnings.list).isEmpty();
    }

    @Test
    void tornLastRecord_cutAtEveryByteOffset_isTruncated_andTheJournalGoesOn() throws Exception {
        Path file = written(sample());
        byte[] whole = Files.readAllBytes(file);
        int lastStart = whole.length - Journal.record(sample().get(4)).length;
        for (int cut = lastStart; cut < whole.length; cut++) {
            Files.write(file, Arrays.copyOf(whole, cut));
            warnings.list.clear();
            try (Journal journal = Journal.open(file)) {
                assertThat(journal.replayed()).as("cut at %d", cut).containsExactlyElementsOf(sample().subList(0, 4));
                assertThat(Files.size(file)).isEqualTo(lastStart);
                journal.append(sample().get(4));
            }
            if (cut > lastStart) {
                assertThat(warnings.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
                        .isEqualTo("journal " + file + ": dropped a torn last record at offset " + lastStart + " ("
                                + (cut - lastStart) + " bytes); a crash interrupted its append, so the transition "
                                + "it held never took effect");
            }
            try (Journal journal = Journal.open(file)) {
                assertThat(journal.replayed()).containsExactlyElementsOf(sample());
            }
        }
    }

    @Test
    void lastRecordWithAnyByteDamaged_orAZeroFilledTail_isTreatedAsTorn() throws Exception {
        Path file = written(sample());
        byte[] whole = Files.readAllBytes(file);
        int lastStart = whole.length - Journal.record(sample().get(4)).length;
        for (int i = lastStart; i < whole.length; i++) {
            byte[] damaged = whole.clone();
            damaged[i] ^= 0x10;
            Files.write(file, damaged);
            try (Journal journal = Journal.open(file)) {
                assertThat(journal.replayed()).as("byte %d flipped", i).containsExactlyElementsOf(sample().subList(0, 4));
            }
        }
        byte[] zeros = Arrays.copyOf(whole, whole.length + 300);
        Files.write(file, zeros);
        try (Journal journal = Journal.open(file)) {
            assertThat(journal.replayed()).containsExactlyElementsOf(sample());
            assertThat(Files.size(file)).isEqualTo(whole.length);
        }
    }

    @Test
    void damagedMiddleRecord_followedByValidOnes_isRefused_andTheFileIsLeftAlone() throws Exception {
        Path file = written(sample());
        byte[] whole = Files.readAllBytes(file);
        int second = Journal.record(sample().get(0)).length;
        for (int i : new int[] {second + 1, second + 6, second + 20}) { // length, checksum, payload
            byte[] damaged = whole.clone();
            damaged[i] ^= 0x01;
            Files.write(file, damaged);
            assertThatThrownBy(() -> Journal.open(file)).isInstanceOf(UserException.class)
                    .hasMessage("journal " + file + " is corrupt at offset " + second + " (record 2): it fails its "
                            + "checksum but valid records follow it")
                    .extracting(e -> ((UserException) e).hint())
                    .isEqualTo("a crash cannot do this: restore the state directory from a backup, or inspect the "
                            + "file (each record is a length, a CRC32C and a JSON payload)");
            assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
        }
    }

    @Test
    void stateDirThatIsAFile_isAUserMistake_namingTheDirectory() throws Exception {
        Path notADir = dir.resolve("state");
        Files.writeString(notADir, "oops");
        assertThatThrownBy(() -> Journal.openIn(notADir)).isInstanceOf(UserException.class)
                .hasMessage("journal " + notADir.resolve("moves.journal") + " cannot be opened: "
                        + "java.nio.file.FileAlreadyExistsException: " + notADir)
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("check that state-dir " + notADir + " is on a writable disk with room, owned by this user");
    }

    @Test
    void replay_countsTheAttemptUpAfterAnAbort_keepsTheLastVerdict_andThePauseState() {
        List<JournalEntry> entries = List.of(
                transition(MoveState.PLANNED, MoveState.COPYING, 1, Map.of("forward.position", "p1"), 1),
                transition(MoveState.COPYING, MoveState.ABORTING, 1, Map.of(), 2),
                transition(MoveState.ABORTING, MoveState.PLANNED, 1, Map.of(), 3),
                new JournalEntry.PlanControl(JournalEntry.PlanAction.PAUSED, Optional.empty(), "controller",
                        "acme aborted", T0.plusSeconds(4)),
                transition(MoveState.PLANNED, MoveState.COPYING, 2, Map.of("forward.position", "p2"), 5),
                new JournalEntry.Verdict(ACME, 2, 1, MoveEvent.Judgement.INCONCLUSIVE, "12 requests < 50",
                        T0.plusSeconds(6)));
        JournalReplay replay = JournalReplay.of(dir.resolve("j"), entries);
        JournalReplay.ReplayedMove acme = replay.move(ACME).orElseThrow();
        assertThat(acme.attempt().attempt()).isEqualTo(2);
        assertThat(acme.attempt().state()).isEqualTo(MoveState.COPYING);
        assertThat(acme.attempt().notes()).isEqualTo(Map.of("forward.position", "p2"));
        assertThat(acme.since()).isEqualTo(T0.plusSeconds(5));
        assertThat(acme.lastVerdict()).contains((JournalEntry.Verdict) entries.get(5));
        assertThat(replay.paused()).isTrue();
        assertThat(replay.pauseReason()).contains("acme aborted");
    }

    @Test
    void replay_refusesAHistoryThatSkipsAState() {
        List<JournalEntry> entries = List.of(
                transition(MoveState.PLANNED, MoveState.COPYING, 1, Map.of(), 1),
                transition(MoveState.SYNCED, MoveState.FROZEN, 1, Map.of(), 2));
        assertThatThrownBy(() -> JournalReplay.of(Path.of("/s/moves.journal"), entries))
                .isInstanceOf(UserException.class)
                .hasMessage("journal /s/moves.journal record 2 moves acme (attempt 1) from SYNCED, but the records "
                        + "before it leave attempt 1 in COPYING");
    }
}
