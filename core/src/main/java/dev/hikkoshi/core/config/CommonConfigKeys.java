package dev.hikkoshi.core.config;

import java.util.List;

/**
 * The documented keys of the sections {@link CommonConfig} binds (the top level and {@code tenants}), rendered
 * into docs/config.md by the app's generator.
 */
public final class CommonConfigKeys {
    private CommonConfigKeys() {
    }

    /** The top level and {@code tenants}, in the reference's order. */
    public static List<ConfigCatalog> catalogs() {
        return List.of(ConfigCatalog.of("Top level", "")
                        .key("environment", "`default`", "the environment's name (`production`, `staging`); alerts"
                                + " are scoped by it")
                        .key("sites", "required", "map of site name (`legacy`, `cloud`: lower-case letters, digits,"
                                + " `_`, `-`) to the site")
                        .key("tenants", "required", "`list: [{name: acme, id: 1}, ...]` or"
                                + " `from-table: {table, id, name}`")
                        .key("state-dir", "`./hikkoshi-state`", "where the embedded default keeps its state"
                                + " (placements, journal)")
                        .notes("The sections `router`, `data`, `controller`, `plan` and `alerts` belong to the"
                                + " modules; they are described below.")
                        .build(),
                ConfigCatalog.of("tenants", "tenants")
                        .intro("Exactly one of `list` and `from-table`.")
                        .key("list[].name", "required", "the tenant's name: 1 to 63 letters, digits, `_`, `.`, `-`;"
                                + " unique")
                        .key("list[].id", "required", "the tenant's id in the database (the value of its tenant"
                                + " column); unique")
                        .key("from-table.table", "required", "read tenants from this table of the source database"
                                + " (data engine)")
                        .key("from-table.id", "`id`", "the table's column holding each tenant's id")
                        .key("from-table.name", "required", "the table's column holding each tenant's name")
                        .build());
    }
}
