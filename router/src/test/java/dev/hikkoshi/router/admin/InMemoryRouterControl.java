package dev.hikkoshi.router.admin;

import dev.hikkoshi.core.routing.FreezeFailedException;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small RouterControl for the admin API's tests: it keeps a table (newer versions only), and a freeze either
 * reports a drain or fails with the open requests the test planted. The real one (the freeze gate) is R2's.
 */
class InMemoryRouterControl implements RouterControl {
    final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.empty());
    final Map<TenantId, List<String>> stuck = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public long push(RoutingTable pushed) {
        calls.add("push " + pushed.version());
        return table.updateAndGet(t -> pushed.version() > t.version() ? pushed : t).version();
    }

    @Override
    public long appliedVersion() {
        return table.get().version();
    }

    @Override
    public RoutingTable table() {
        return table.get();
    }

    @Override
    public FreezeReport freeze(TenantId tenant, Duration drainTimeout) {
        calls.add("freeze " + tenant + " " + drainTimeout.toMillis() + "ms");
        RoutingTable t = table.updateAndGet(old -> old.placement(tenant)
                .map(p -> old.with(tenant, p.freeze())).orElse(old));
        List<String> open = stuck.get(tenant);
        if (open != null) {
            throw new FreezeFailedException(tenant, name(), open);
        }
        return new FreezeReport(tenant, t.version(), 2, Duration.ofMillis(15));
    }

    @Override
    public void release(TenantId tenant) {
        calls.add("release " + tenant);
        table.updateAndGet(old -> old.placement(tenant).map(p -> old.with(tenant, p.release())).orElse(old));
    }
}
