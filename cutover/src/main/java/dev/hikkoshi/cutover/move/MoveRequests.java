package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.tenant.TenantId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the controller asks of running moves, picked up by each {@link MoveRunner} between two calls of a step:
 * pause (no new step in a pausable state), a rollback, a finalize. Approvals are journaled instead
 * ({@link MoveLog#approval}), so that they survive a restart.
 * Requests are not journaled here: the transition they cause is, by the runner.
 *
 * <p>Concurrency: the controller's threads write, the runners' threads take; every map is concurrent and each
 * request is taken at most once.
 */
public final class MoveRequests {
    private volatile boolean paused;
    private final Map<TenantId, String> rollbacks = new ConcurrentHashMap<>();
    private final Map<TenantId, String> finalizes = new ConcurrentHashMap<>();

    public boolean paused() {
        return paused;
    }

    public void paused(boolean value) {
        paused = value;
    }

    public void requestRollback(TenantId tenant, String reason) {
        rollbacks.put(tenant, reason);
    }

    public boolean rollbackPending(TenantId tenant) {
        return rollbacks.containsKey(tenant);
    }

    Optional<String> takeRollback(TenantId tenant) {
        return Optional.ofNullable(rollbacks.remove(tenant));
    }

    public void requestFinalize(TenantId tenant, String reason) {
        finalizes.put(tenant, reason);
    }

    public boolean finalizePending(TenantId tenant) {
        return finalizes.containsKey(tenant);
    }

    Optional<String> takeFinalize(TenantId tenant) {
        return Optional.ofNullable(finalizes.remove(tenant));
    }

    /** Drops requests a move can no longer act on (it failed, or left the states they apply to). */
    void forget(TenantId tenant) {
        rollbacks.remove(tenant);
        finalizes.remove(tenant);
    }
}
