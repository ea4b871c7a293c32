package dev.hikkoshi.data.differential;

import dev.hikkoshi.data.verify.ChunkPlan;
import dev.hikkoshi.data.verify.ComparedChunk;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a stream's running pass may claim as it goes: the instant before which every source commit is on the target
 * once the rows it found so far are repaired.
 *
 * <p>A pass compares the previous pass's chunks again ({@link ChunkPlan#after}). Once its chunks up to one in plan
 * entry {@code e} are compared (they are handed over in order), the keys still to compare are those of entries
 * {@code e} onwards, which the previous pass compared, chunk by chunk, from the instants those chunks began; every
 * row the previous pass found was repaired before this pass began. So every commit before the earliest of those
 * instants is covered: the claim. It grows as the pass goes, and a change committed while the previous pass ran
 * is covered once this pass has compared again the chunks the previous one had compared before the commit, instead
 * of when the whole of this pass ends. A chunk walked afresh (no plan entry) claims only the previous pass's start.
 */
final class PassClaims {
    private final Instant previousStart;
    private final List<ComparedChunk> previous;
    /** {@code earliestFrom[i]}: the earliest start among the previous pass's chunks {@code i} onwards. */
    private final Instant[] earliestFrom;

    PassClaims(Instant previousStart, List<ComparedChunk> previous) {
        this.previousStart = Objects.requireNonNull(previousStart, "previousStart");
        this.previous = List.copyOf(previous);
        this.earliestFrom = new Instant[this.previous.size()];
        Instant earliest = null;
        for (int i = this.previous.size() - 1; i >= 0; i--) {
            Instant started = this.previous.get(i).started();
            earliest = earliest == null || started.isBefore(earliest) ? started : earliest;
            earliestFrom[i] = earliest;
        }
    }

    /** The previous pass's chunks as this pass's plan (none, so every table walked, when there were none). */
    ChunkPlan plan(int chunkRows) {
        return ChunkPlan.after(previous, chunkRows);
    }

    /**
     * The claim once {@code done} and every chunk before it are compared, the pass running {@code plan}: from the
     * next entry on when {@code done} ends its entry (a split entry's last chunk reaches the entry's upper bound),
     * else from its own entry on. The last entry's chunks claim their entry's start (the pass's end claims more).
     */
    Instant after(ComparedChunk done, ChunkPlan plan) {
        if (done.planned() < 0) {
            return previousStart;
        }
        ChunkPlan.Entry entry = plan.entries().get(done.planned());
        boolean endsEntry = done.range().upper().equals(entry.range().upper());
        int from = endsEntry && done.planned() + 1 < plan.entries().size() ? done.planned() + 1 : done.planned();
        Instant earliest = earliestFrom[plan.entries().get(from).firstOrigin()];
        return earliest.isBefore(previousStart) ? previousStart : earliest;
    }
}
