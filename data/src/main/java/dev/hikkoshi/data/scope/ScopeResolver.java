package dev.hikkoshi.data.scope;

import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.config.JoinHop;
import dev.hikkoshi.data.config.ScopeMode;
import dev.hikkoshi.data.config.TableConfig;
import dev.hikkoshi.data.config.TableRule;
import dev.hikkoshi.data.config.TargetTriggers;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.ServerInfo;
import dev.hikkoshi.data.schema.SqlIdentifier;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.schema.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks the config's table rules against the inspected source (and, where it has the table, the target)
 * and builds the {@link TenantScope}. Every table is checked and every problem kept, so that
 * {@code hikkoshi data inspect} shows them all at once. The checks and their messages are listed in
 * docs/data.md (Inspection errors); tests assert them exactly.
 */
public final class ScopeResolver {
    private final DataConfig config;
    private final DatabaseConfig sourceDatabase;
    private final Schema source;
    private final Optional<Schema> target;
    private final ServerInfo targetServer;

    /**
     * {@code target} is the target's schema of the same tables (empty when the target has no such schema yet);
     * {@code sourceDatabase} supplies the charset overrides.
     */
    public ScopeResolver(DataConfig config, DatabaseConfig sourceDatabase, Schema source, Optional<Schema> target,
                         ServerInfo targetServer) {
        this.config = Objects.requireNonNull(config, "config");
        this.sourceDatabase = Objects.requireNonNull(sourceDatabase, "sourceDatabase");
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.targetServer = Objects.requireNonNull(targetServer, "targetServer");
    }

    /** Checks every table; the report holds the tables that resolved and every problem found. */
    public ScopeReport resolve() {
        List<ScopeProblem> errors = new ArrayList<>();
        for (String listed : config.tables().keySet()) {
            if (source.table(listed).isEmpty()) {
                errors.add(ScopeProblem.error(listed, "data.tables." + listed + " names a table that schema "
                        + quote(source.name()) + " does not have",
                        "fix the name or remove the entry (the schema's tables: " + String.join(", ", source.tableNames()) + ")"));
            }
        }
        List<TableScope> tables = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Table table : source.tables()) {
            Optional<TableRule> rule = config.table(table.name()).flatMap(TableConfig::rule);
            if (rule.isPresent() && rule.get() instanceof TableRule.Skip) {
                skipped.add(table.name());
                continue;
            }
            List<ScopeProblem> tableErrors = new ArrayList<>();
            List<ScopeProblem> warnings = new ArrayList<>();
            Optional<TableClass> tableClass = classify(table, rule, tableErrors, warnings);
            Optional<Index> key = table.rowKey();
            if (key.isEmpty()) {
                tableErrors.add(noRowKey(table));
            }
            if (!table.transactional()) {
                tableErrors.add(ScopeProblem.error(table.name(), "table " + quote(table.name()) + " uses the "
                                + table.engine() + " engine, which has no row locks nor consistent snapshots: its rows"
                                + " cannot be copied consistently while the service writes them",
                        "convert it on the source (ALTER TABLE " + quote(table.name()) + " ENGINE=InnoDB), or leave it"
                                + " out with data.tables." + table.name() + ".skip: true"));
            }
            checkTarget(table, tableErrors);
            key.ifPresent(k -> checkTargetKey(table, k, tableErrors));
            errors.addAll(tableErrors);
            if (tableErrors.isEmpty() && tableClass.isPresent()) {
                tables.add(new TableScope(table, tableClass.get(), key.orElseThrow(), warnings));
            }
        }
        return new ScopeReport(new TenantScope(source.name(), config.mode(), tables, skipped), errors);
    }

    private Optional<TableClass> classify(Table table, Optional<TableRule> rule, List<ScopeProblem> errors,
                                          List<ScopeProblem> warnings) {
        if (config.mode() == ScopeMode.WHOLE_SCHEMA) {
            return Optional.of(new TableClass.WholeTable());
        }
        if (rule.isEmpty()) {
            Optional<Column> column = config.tenantColumn().flatMap(table::column);
            if (column.isEmpty()) {
                errors.add(ScopeProblem.error(table.name(), "table " + quote(table.name()) + " is not classified: "
                                + config.tenantColumn().map(c -> "it has no column " + quote(c) + " (data.tenant-column)"
                                + " and no entry in data.tables").orElse("it has no entry in data.tables and"
                                + " data.tenant-column is not set"),
                        "add data.tables." + table.name() + " with tenant-column: COLUMN, via: \"COLUMN -> TABLE.COLUMN\","
                                + " shared: {writer: SITE} or skip: true"));
                return Optional.empty();
            }
            return Optional.of(tenantColumn(table, column.get(), warnings));
        }
        TableRule r = rule.get();
        if (r instanceof TableRule.TenantColumn tc) {
            Optional<Column> column = table.column(tc.column());
            if (column.isEmpty()) {
                errors.add(ScopeProblem.error(table.name(), "table " + quote(table.name()) + " has no column "
                                + quote(tc.column()) + " (named by data.tables." + table.name() + ".tenant-column)",
                        "name the column that holds the tenant id in data.tables." + table.name() + ".tenant-column,"
                                + " or classify the table with via, shared or skip"));
                return Optional.empty();
            }
            return Optional.of(tenantColumn(table, column.get(), warnings));
        }
        if (r instanceof TableRule.Via via) {
            return joinPath(table, via, errors, warnings);
        }
        if (r instanceof TableRule.Shared shared) {
            return Optional.of(new TableClass.Shared(shared.writer()));
        }
        throw new IllegalStateException("skipped tables are not classified: " + table.name());
    }

    private static TableClass tenantColumn(Table table, Column column, List<ScopeProblem> warnings) {
        if (!table.indexedBy(column.name())) {
            warnings.add(missingIndex(table, column.name(), "tenant column"));
        }
        return new TableClass.TenantColumn(column.name());
    }

    private Optional<TableClass> joinPath(Table table, TableRule.Via via, List<ScopeProblem> errors,
                                          List<ScopeProblem> warnings) {
        String prefix = "the join path of table " + quote(table.name()) + " (" + via.text() + ") is broken";
        String fix = "correct data.tables." + table.name() + ".via so that each hop names an existing column and the"
                + " last table has a tenant column";
        List<JoinHop> resolved = new ArrayList<>();
        List<ScopeProblem> hopWarnings = new ArrayList<>();
        Table current = table;
        for (int i = 0; i < via.hops().size(); i++) {
            JoinHop hop = via.hops().get(i);
            String at = prefix + " at hop " + (i + 1) + ": ";
            Optional<Column> column = current.column(hop.column());
            if (column.isEmpty()) {
                errors.add(ScopeProblem.error(table.name(), at + "table " + quote(current.name()) + " has no column "
                        + quote(hop.column()), fix));
                return Optional.empty();
            }
            Optional<Table> next = source.table(hop.referencedTable());
            if (next.isEmpty()) {
                errors.add(ScopeProblem.error(table.name(), at + "table " + quote(hop.referencedTable())
                        + " does not exist", fix));
                return Optional.empty();
            }
            Optional<Column> referenced = next.get().column(hop.referencedColumn());
            if (referenced.isEmpty()) {
                errors.add(ScopeProblem.error(table.name(), at + "table " + quote(next.get().name()) + " has no column "
                        + quote(hop.referencedColumn()), fix));
                return Optional.empty();
            }
            if (!current.indexedBy(column.get().name())) {
                hopWarnings.add(missingIndex(current, column.get().name(), "join column"));
            }
            if (!next.get().indexedBy(referenced.get().name())) {
                hopWarnings.add(missingIndex(next.get(), referenced.get().name(), "join column"));
            }
            resolved.add(new JoinHop(column.get().name(), next.get().name(), referenced.get().name()));
            current = next.get();
        }
        Optional<String> tenantColumn = tenantColumnOf(current);
        if (tenantColumn.isEmpty()) {
            errors.add(ScopeProblem.error(table.name(), prefix + ": it ends at table " + quote(current.name())
                    + ", which has no tenant column" + config.tenantColumn().map(c -> " " + quote(c)).orElse(""), fix));
            return Optional.empty();
        }
        hopWarnings.forEach(w -> warnings.add(new ScopeProblem(table.name(), w.severity(), w.message(), w.fix())));
        return Optional.of(new TableClass.JoinPath(resolved, tenantColumn.get()));
    }

    /** The tenant column of a join path's last table: its own tenant-column rule, else the default column. */
    private Optional<String> tenantColumnOf(Table table) {
        Optional<TableRule> rule = config.table(table.name()).flatMap(TableConfig::rule);
        if (rule.isPresent()) {
            return rule.get() instanceof TableRule.TenantColumn tc
                    ? table.column(tc.column()).map(Column::name) : Optional.empty();
        }
        return config.tenantColumn().flatMap(table::column).map(Column::name);
    }

    private static ScopeProblem missingIndex(Table table, String column, String role) {
        return ScopeProblem.warning(table.name(), "table " + quote(table.name()) + " has no index starting with "
                        + role + " " + quote(column) + ": each move scans the whole table",
                "add one on the source: ALTER TABLE " + quote(table.name()) + " ADD INDEX (" + quote(column) + ")");
    }

    private static ScopeProblem noRowKey(Table table) {
        List<String> columns = table.indexes().stream().filter(Index::unique).findFirst().map(Index::columns)
                .orElseGet(() -> table.columns().stream()
                        .filter(c -> !c.nullable() && !c.generated() && !c.dataType().endsWith("text")
                                && !c.dataType().endsWith("blob"))
                        .map(Column::name).toList());
        String suggestion = columns.isEmpty()
                ? "ALTER TABLE " + quote(table.name()) + " ADD COLUMN `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY"
                : "ALTER TABLE " + quote(table.name()) + " ADD PRIMARY KEY (" + SqlIdentifier.list(columns) + ")";
        return ScopeProblem.error(table.name(), "table " + quote(table.name()) + " has neither a primary key nor a"
                        + " non-null unique key, so its rows cannot be told apart (the usual cause: a join table"
                        + " without an id column)",
                "add one on the source, such as " + suggestion + ", or leave the table out with data.tables."
                        + table.name() + ".skip: true");
    }

    /**
     * The target must have a unique key over exactly the source's row key columns: copy relies on it to never
     * write a row twice, and verification and sync address rows by it.
     */
    private void checkTargetKey(Table table, Index sourceKey, List<ScopeProblem> errors) {
        Optional<Table> targetTable = target.flatMap(t -> t.table(table.name()));
        if (targetTable.isEmpty()) {
            return;
        }
        java.util.Set<String> wanted = sourceKey.columns().stream().map(c -> c.toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.toSet());
        boolean found = targetTable.get().indexes().stream().filter(i -> i.primary() || i.unique())
                .anyMatch(i -> i.columns().stream().map(c -> c.toLowerCase(java.util.Locale.ROOT))
                        .collect(Collectors.toSet()).equals(wanted));
        if (!found) {
            String columns = SqlIdentifier.list(sourceKey.columns());
            errors.add(ScopeProblem.error(table.name(), "target table " + quote(table.name()) + " has no primary or"
                            + " unique key on (" + columns + "), the source's row key: copied rows could be duplicated there",
                    "add it on the target: ALTER TABLE " + quote(table.name()) + " ADD "
                            + (sourceKey.primary() ? "PRIMARY KEY" : "UNIQUE KEY") + " (" + columns + ")"));
        }
    }

    /** Target triggers and columns the target cannot hold. */
    private void checkTarget(Table table, List<ScopeProblem> errors) {
        Optional<Table> targetTable = target.flatMap(t -> t.table(table.name()));
        for (Column column : table.writableColumns()) {
            Optional<String> charset = sourceDatabase.charsetOverride(table.name(), column.name()).or(column::charset);
            String name = quote(table.name()) + "." + quote(column.name());
            Optional<String> unsupported = ColumnCompatibility.unsupportedOnServer(column, charset, targetServer);
            if (unsupported.isPresent()) {
                errors.add(ScopeProblem.error(table.name(), "column " + name + " is " + unsupported.get() + ", which the"
                        + " target (" + targetServer.product() + ") does not support",
                        "use a target server that supports it (" + (unsupported.get().equals("json")
                                ? "MySQL 5.7.8 or later, MariaDB 10.2.7 or later" : "MySQL 5.5.3 or later, MariaDB 5.5 or later")
                                + ")"));
                continue;
            }
            if (targetTable.isEmpty()) {
                continue;
            }
            Optional<Column> targetColumn = targetTable.get().column(column.name());
            String definition = column.columnType() + charset.map(c -> " CHARACTER SET " + c).orElse("");
            if (targetColumn.isEmpty()) {
                errors.add(ScopeProblem.error(table.name(), "column " + name + " does not exist on the target",
                        "add it to the target table as on the source: ALTER TABLE " + quote(table.name())
                                + " ADD COLUMN " + quote(column.name()) + " " + definition));
            } else if (!ColumnCompatibility.typeHolds(column, targetColumn.get())) {
                errors.add(ScopeProblem.error(table.name(), "column " + name + " is " + column.columnType()
                                + " on the source but " + targetColumn.get().columnType() + " on the target, which"
                                + " cannot hold every value",
                        "widen it on the target: ALTER TABLE " + quote(table.name()) + " MODIFY " + quote(column.name())
                                + " " + definition));
            } else if (charset.isPresent() && targetColumn.get().charset().isPresent()
                    && !ColumnCompatibility.charsetHolds(charset.get(), targetColumn.get().charset().get())) {
                boolean overridden = sourceDatabase.charsetOverride(table.name(), column.name()).isPresent();
                errors.add(ScopeProblem.error(table.name(), "column " + name + " holds " + charset.get() + " text on the"
                                + " source" + (overridden ? " (sites." + sourceDatabase.site() + ".database.charset-overrides)" : "")
                                + " but is " + targetColumn.get().charset().get() + " on the target, which cannot hold"
                                + " every character",
                        "convert it on the target: ALTER TABLE " + quote(table.name()) + " MODIFY " + quote(column.name())
                                + " " + targetColumn.get().columnType() + " CHARACTER SET utf8mb4"));
            }
        }
        if (targetTable.isPresent() && !targetTable.get().triggers().isEmpty()) {
            TargetTriggers answer = config.table(table.name()).map(TableConfig::targetTriggers).orElse(TargetTriggers.REFUSE);
            if (answer == TargetTriggers.REFUSE) {
                errors.add(ScopeProblem.error(table.name(), "target table " + quote(table.name()) + " has triggers ("
                                + targetTable.get().triggers().stream().map(Trigger::name).collect(Collectors.joining(", "))
                                + ") that would fire on every row hikkoshi writes there",
                        "say whether they may with data.tables." + table.name() + ".target-triggers: may-fire, or drop"
                                + " them on the target for the move"));
            }
        }
    }
}
