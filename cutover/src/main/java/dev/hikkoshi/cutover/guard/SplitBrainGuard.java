package dev.hikkoshi.cutover.guard;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.data.stream.SharedTableStream;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the data engine's bypass-write reports into what the design asks of a split-brain: a critical
 * {@link MoveEvent.SplitBrain} naming tenant (for a shared table on its non-writer site, the pseudo-tenant
 * {@code shared-tables}), site, table and key, and the plan paused (no further move starts
 * until an operator looked). Every distinct row is published once; the plan is paused on the first. The
 * controller gives it to the move steps as their bypass-write listener; called on the capture's thread.
 */
public final class SplitBrainGuard implements Consumer<BypassWrite> {
    private static final Logger log = LoggerFactory.getLogger(SplitBrainGuard.class);

    private final Consumer<MoveEvent> publish;
    private final Consumer<String> pausePlan;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param publish   where move events go (the controller's event bus)
     * @param pausePlan pauses the plan with a reason
     */
    public SplitBrainGuard(Consumer<MoveEvent> publish, Consumer<String> pausePlan) {
        this.publish = Objects.requireNonNull(publish, "publish");
        this.pausePlan = Objects.requireNonNull(pausePlan, "pausePlan");
    }

    @Override
    public void accept(BypassWrite write) {
        String row = write.site() + "/" + write.table() + "/" + write.primaryKey();
        if (!reported.add(row)) {
            return;
        }
        String whose = write.tenant().map(t -> "tenant " + t + "'s row").orElse("shared table row");
        String text = "split-brain: a write that bypassed hikkoshi changed " + whose + " " + write.table() + " "
                + write.primaryKey() + " on site " + write.site() + " (" + write.where() + ")";
        boolean first = reported.size() == 1;
        log.error("{}{}", text, first ? "; pausing the plan" : "");
        // Paused before the event goes out: whoever reacts to the critical event finds the plan paused already.
        if (first) {
            pausePlan.accept(text);
        }
        // A shared table's write names no tenant: its event names the pseudo-tenant its stream is listed under.
        publish.accept(new MoveEvent.SplitBrain(write.tenant().orElse(SharedTableStream.LISTED_AS), write.site(),
                write.table(), write.primaryKey(), write.seenAt()));
    }

    /** How many distinct rows were reported. */
    public int reportedRows() {
        return reported.size();
    }
}
