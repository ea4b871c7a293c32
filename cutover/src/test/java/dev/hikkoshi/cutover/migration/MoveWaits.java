package dev.hikkoshi.cutover.migration;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerProcess;
import java.time.Duration;
import java.util.function.Supplier;

/** What the migration tests wait on: a tenant's move state in a controller, and a condition with a 90 s limit. */
final class MoveWaits {
    private MoveWaits() {
    }

    /** The state of {@code tenant}'s move; PLANNED before the controller lists it. */
    static MoveState state(ControllerProcess controller, TenantId tenant) {
        return controller.controller().status().moves().stream().filter(m -> m.tenant().equals(tenant))
                .map(MoveStatus::state).findFirst().orElse(MoveState.PLANNED);
    }

    /** Polls {@code condition} every 200 ms; fails naming {@code what} after 90 s. */
    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            Thread.sleep(200);
        }
    }
}
