package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A journal in a temporary state directory with a board, a log and requests: what a runner needs, for tests. */
final class MoveFixture implements AutoCloseable {
    static final TenantId ACME = TenantId.of("acme");
    final Path stateDir;
    final Journal journal;
    final MoveBoard board = new MoveBoard();
    final MoveLog log;
    final MoveRequests requests = new MoveRequests();
    final List<MoveEvent> events = new CopyOnWriteArrayList<>();

    MoveFixture(Path stateDir) {
        this.stateDir = stateDir;
        this.journal = Journal.openIn(stateDir);
        this.log = new MoveLog(journal, board, Clock.systemUTC());
        board.subscribe(events::add);
    }

    static MoveAttempt planned(TenantId tenant) {
        return new MoveAttempt(tenant, "pilot", 1, SiteId.of("legacy"), SiteId.of("cloud"), MoveState.PLANNED, Map.of());
    }

    MoveRunner runner(List<MoveStep> steps, Refreeze refreeze) {
        return new MoveRunner(log, steps, refreeze, requests, Duration.ofMillis(5));
    }

    /** The transitions on disk now, read from a copy of the journal file (the original stays open). */
    List<JournalEntry.Transition> journaled() {
        try {
            Path copy = Files.createTempFile(stateDir, "copy", ".journal");
            Files.copy(journal.file(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (Journal j = Journal.open(copy)) {
                return j.replayed().stream().filter(JournalEntry.Transition.class::isInstance)
                        .map(JournalEntry.Transition.class::cast).toList();
            } finally {
                Files.delete(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "FROM>TO" for every journaled transition, to compare paths at a glance. */
    List<String> path() {
        return journaled().stream().map(t -> t.from() + ">" + t.to()).toList();
    }

    @Override
    public void close() {
        journal.close();
    }
}
