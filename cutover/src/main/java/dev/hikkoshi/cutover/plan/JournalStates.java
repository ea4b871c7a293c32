package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalReplay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each tenant's last journaled move state, read for {@code hikkoshi plan} without touching the controller's
 * journal: a controller may be appending to it, and opening a journal truncates a torn tail, so the plan opens a
 * private copy. Empty when no journal exists (nothing ever moved).
 */
final class JournalStates {
    private JournalStates() {
    }

    static Map<TenantId, MoveState> read(Path stateDir) {
        Path file = stateDir.resolve("moves.journal");
        Map<TenantId, MoveState> out = new TreeMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        Path copy = null;
        try {
            copy = Files.createTempFile("hikkoshi-plan-journal-", ".copy");
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            try (Journal journal = Journal.open(copy)) {
                JournalReplay.of(file, journal.replayed()).moves()
                        .forEach((tenant, move) -> out.put(tenant, move.attempt().state()));
            }
        } catch (IOException e) {
            throw new UserException("journal " + file + " cannot be read: " + e.getMessage(),
                    "check that state-dir " + stateDir + " is readable by this user");
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // a private temporary copy: the OS cleans its temp directory
                }
            }
        }
        return out;
    }
}
