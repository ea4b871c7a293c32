package dev.hikkoshi.data.trigger;

import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.scope.TableScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One source table the triggers watch, and the columns they record: the row key, then the column that decides
 * the tenant (the tenant column, or for a join-path table the first hop's column), old and new values. Built
 * from the tenant scope by {@link TriggerCapture}; the stream re-reads the row itself, so values beyond these
 * are never needed.
 */
record CapturedTable(Table table, List<String> keyColumns, List<String> recordedColumns) {
    CapturedTable {
        Objects.requireNonNull(table, "table");
        keyColumns = List.copyOf(keyColumns);
        recordedColumns = List.copyOf(recordedColumns);
    }

    static CapturedTable of(TableScope scope) {
        List<String> keys = scope.rowKey().columns();
        List<String> recorded = new ArrayList<>(keys);
        tenantColumn(scope).filter(c -> recorded.stream().noneMatch(c::equalsIgnoreCase)).ifPresent(recorded::add);
        return new CapturedTable(scope.table(), keys, recorded);
    }

    private static Optional<String> tenantColumn(TableScope scope) {
        if (scope.tableClass() instanceof TableClass.TenantColumn tc) {
            return Optional.of(tc.column());
        }
        if (scope.tableClass() instanceof TableClass.JoinPath jp) {
            return Optional.of(jp.hops().get(0).column());
        }
        return Optional.empty();
    }

    String name() {
        return table.name();
    }

    Column column(String name) {
        return table.column(name).orElseThrow(() -> new IllegalStateException("table " + table.name() + " has no column " + name));
    }
}
