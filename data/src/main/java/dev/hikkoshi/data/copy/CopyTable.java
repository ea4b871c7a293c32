package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.Table;
import java.util.Objects;

/**
 * One table to copy: its definition on the source and on the target (columns are matched by name; the
 * target's may differ in type or charset), the key that orders and addresses its rows, and which rows belong
 * to the tenant. Built from the tenant scope by the copy command and the cutover engine.
 */
public record CopyTable(Table source, Table target, Index rowKey, TenantRows rows) {
    public CopyTable {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(rowKey, "rowKey");
        Objects.requireNonNull(rows, "rows");
    }

    public String name() {
        return source.name();
    }
}
