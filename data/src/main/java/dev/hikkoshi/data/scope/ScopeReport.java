package dev.hikkoshi.data.scope;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ScopeResolver} found: the scope of the tables that passed every check, and every error. The
 * inspect command prints both; every other user calls {@link #orThrow()}.
 */
public record ScopeReport(TenantScope scope, List<ScopeProblem> errors) {
    public ScopeReport {
        Objects.requireNonNull(scope, "scope");
        errors = List.copyOf(errors);
    }

    /** The scope, or a {@link ScopeException} listing every error. */
    public TenantScope orThrow() {
        if (!errors.isEmpty()) {
            throw new ScopeException("the tenant scope of schema " + scope.schema(), errors);
        }
        return scope;
    }
}
