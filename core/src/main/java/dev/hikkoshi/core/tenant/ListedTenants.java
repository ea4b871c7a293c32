package dev.hikkoshi.core.tenant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A {@link TenantDirectory} over a fixed list, such as {@code tenants.list} in the config. */
public final class ListedTenants implements TenantDirectory {
    private final List<Tenant> all;
    private final Map<TenantId, Tenant> byName;
    private final Map<String, Tenant> byDatabaseId;

    public ListedTenants(List<Tenant> tenants) {
        List<Tenant> sorted = new ArrayList<>(tenants);
        sorted.sort(Comparator.comparing(Tenant::id));
        this.all = List.copyOf(sorted);
        this.byName = sorted.stream().collect(Collectors.toUnmodifiableMap(Tenant::id, Function.identity()));
        this.byDatabaseId = sorted.stream()
                .collect(Collectors.toUnmodifiableMap(Tenant::databaseId, Function.identity()));
    }

    @Override
    public List<Tenant> all() {
        return all;
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
        return Optional.ofNullable(byName.get(id));
    }

    @Override
    public Optional<Tenant> findByDatabaseId(String databaseId) {
        return Optional.ofNullable(byDatabaseId.get(databaseId));
    }
}
