package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.core.move.MoveEvent.Verdict;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.List;

/**
 * Where {@link BakeStep} journals its verdicts and reads them back: implemented by the move runner over its
 * journal. {@link #append} returns only once the verdict is durable (the runner also publishes it through
 * {@link dev.hikkoshi.core.move.MoveEvents}); {@link #verdicts} answers every verdict journaled for one attempt,
 * including those of a controller that crashed, which is how a resumed bake rebuilds its state.
 */
public interface VerdictJournal {
    /** Appends a verdict durably, then publishes it. */
    void append(Verdict verdict);

    /** Every verdict journaled for this tenant's attempt, in any order. */
    List<Verdict> verdicts(TenantId tenant, int attempt);
}
