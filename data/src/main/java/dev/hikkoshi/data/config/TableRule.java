package dev.hikkoshi.data.config;

import dev.hikkoshi.core.routing.SiteId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How the config classifies one table ({@code data.tables.NAME}); the scope check resolves it against the
 * inspected schema into a {@code TableScope}.
 */
public sealed interface TableRule {
    /** The table has its own tenant column ({@code tenant-column: NAME}). */
    record TenantColumn(String column) implements TableRule {
    }

    /** The table reaches a table with a tenant column through one or more hops ({@code via: "..."}). */
    record Via(List<JoinHop> hops) implements TableRule {
        public Via {
            hops = List.copyOf(hops);
        }

        /** The path as written in the config. */
        public String text() {
            return hops.stream().map(JoinHop::toString).collect(Collectors.joining(", "));
        }
    }

    /** Reference data shared by all tenants, written on exactly one site at a time. */
    record Shared(SiteId writer) implements TableRule {
    }

    /** Out of scope: never copied, verified or synced. */
    record Skip() implements TableRule {
    }
}
