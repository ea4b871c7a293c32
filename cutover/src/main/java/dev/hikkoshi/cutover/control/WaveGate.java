package dev.hikkoshi.cutover.control;

import dev.hikkoshi.cutover.plan.Gate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The gates between the plan's waves, for the {@link Controller}'s plan thread: a wave with gate
 * {@link Gate#AUTO} starts as soon as the waves before it are past their bakes (the walk waits for their moves
 * anyway); a wave with gate {@link Gate#APPROVAL} also waits for {@code hikkoshi approve WAVE}. An approval may
 * come before the walk reaches the wave. Approvals are journaled by the controller and handed back here from the
 * journal's replay, so an opened gate stays open across a restart; a newly adopted plan starts with every gate shut.
 *
 * <p>Concurrency: the plan thread waits on this object's monitor; approvals come from admin-API threads.
 */
final class WaveGate {
    private final Set<String> approved = new HashSet<>();
    private Optional<String> waitingFor = Optional.empty();

    WaveGate(Set<String> approvedBefore) {
        approved.addAll(approvedBefore);
    }

    /** Blocks until {@code wave} may start (at once for an AUTO gate or an approved wave). */
    synchronized void awaitOpen(PlanSettings.Wave wave) throws InterruptedException {
        try {
            while (!isOpen(wave)) {
                waitingFor = Optional.of(wave.name());
                wait();
            }
        } finally {
            waitingFor = Optional.empty();
        }
    }

    synchronized boolean isOpen(PlanSettings.Wave wave) {
        return wave.gate() == Gate.AUTO || approved.contains(wave.name());
    }

    /** Opens the gate of {@code wave} (journaled by the caller first). */
    synchronized void approve(String wave) {
        approved.add(wave);
        notifyAll();
    }

    /** A new plan: every gate shut again. */
    synchronized void reset() {
        approved.clear();
    }

    /** The wave whose gate the plan waits at now, if it does. */
    synchronized Optional<String> waitingFor() {
        return waitingFor;
    }
}
