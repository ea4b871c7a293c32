package dev.hikkoshi.data.verify;

import dev.hikkoshi.data.copy.TenantRows;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.core.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One table as verification sees it: the source and target definitions, the row key, which rows are in scope
 * ({@code rows}: the scope's tenant predicate, whose {@code ?} stands for {@code tenantId}, or
 * {@link TenantRows#ALL}) and the columns whose bytes are really in another charset. Built from the tenant
 * scope by {@link VerifyTables}.
 */
public record TableToVerify(Table source, Table target, Index key, TenantRows rows, Optional<String> tenantId,
                            Map<String, String> sourceCharsetOverrides, Map<String, String> targetCharsetOverrides) {
    /** The alias of the verified table in every statement, and so in the predicates. */
    public static final String ALIAS = "hk_t";

    public TableToVerify {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(tenantId, "tenantId");
        sourceCharsetOverrides = Map.copyOf(sourceCharsetOverrides);
        targetCharsetOverrides = Map.copyOf(targetCharsetOverrides);
    }

    /** The condition selecting the rows in scope in {@code schema}, over the table aliased {@link #ALIAS}. */
    Optional<String> predicate(String schema) {
        Optional<String> predicate = rows.tenantPredicate(schema, ALIAS);
        if (predicate.isPresent() != tenantId.isPresent()) {
            throw new IllegalArgumentException("a tenant predicate needs a tenant id and the other way round: " + source.name());
        }
        return predicate;
    }

    public String name() {
        return source.name();
    }

    /**
     * Every column of the source paired with the target's column of the same name, generated columns included
     * (never written, but checked). A column the target lacks is the user's to fix.
     */
    public List<CanonicalColumn> columns(boolean sourceUtf8mb4, boolean targetUtf8mb4) {
        List<CanonicalColumn> out = new ArrayList<>();
        for (Column s : source.columns()) {
            Column t = target.column(s.name()).orElseThrow(() -> new UserException(
                    "table " + source.name() + ": column " + s.name() + " is missing on the target, so its values cannot be verified",
                    "add the column on the target (hikkoshi data verify --schema lists every difference)"));
            out.add(CanonicalColumn.of(s, t, override(sourceCharsetOverrides, s.name()),
                    override(targetCharsetOverrides, s.name()), sourceUtf8mb4, targetUtf8mb4));
        }
        return out;
    }

    private static Optional<String> override(Map<String, String> overrides, String column) {
        return overrides.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(column))
                .map(Map.Entry::getValue).findFirst();
    }
}
