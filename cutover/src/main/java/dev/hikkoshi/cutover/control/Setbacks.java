package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why each move last left the happy path (aborted, rolled back, failed), for the pause reason the
 * {@link Controller} gives, and the tenants rolled back during this walk, which it sets aside until the next
 * apply. Fed by the move board's transitions; a new attempt (COPYING) clears its tenant's reason.
 */
final class Setbacks {
    private final Map<TenantId, String> reasons = new ConcurrentHashMap<>();
    private final Set<TenantId> setAside = ConcurrentHashMap.newKeySet();

    Setbacks(Collection<TenantId> rolledBackSinceApply) {
        setAside.addAll(rolledBackSinceApply);
    }

    void note(MoveEvent event) {
        if (event instanceof MoveEvent.Transition t) {
            switch (t.to()) {
                case ABORTING -> reasons.put(t.tenant(), "aborted (attempt " + t.attempt() + "): " + t.reason());
                case ROLLBACK_FROZEN -> {
                    reasons.put(t.tenant(), "rolled back (attempt " + t.attempt() + "): " + t.reason());
                    setAside.add(t.tenant());
                }
                case FAILED -> reasons.put(t.tenant(), "failed (attempt " + t.attempt() + "): " + t.reason());
                case COPYING -> reasons.remove(t.tenant());
                default -> {
                }
            }
        }
    }

    /** Why the tenant's move last left the happy path, or {@code otherwise}. */
    String reason(TenantId tenant, String otherwise) {
        return reasons.getOrDefault(tenant, otherwise);
    }

    boolean isSetAside(TenantId tenant) {
        return setAside.contains(tenant);
    }

    /** A new apply tries the rolled-back tenants again. */
    void clearSetAside() {
        setAside.clear();
    }
}
