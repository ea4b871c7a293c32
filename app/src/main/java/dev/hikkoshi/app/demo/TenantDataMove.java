package dev.hikkoshi.app.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyJob;
import dev.hikkoshi.data.copy.CopyResult;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.copy.TenantRows;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.data.schema.SqlIdentifier;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.verify.TableToVerify;
import dev.hikkoshi.data.verify.Verifier;
import dev.hikkoshi.data.verify.VerifyReport;
import dev.hikkoshi.data.verify.VerifySide;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The data part of {@code hikkoshi demo}: copies one tenant's rows between two sandbox servers with hikkoshi's
 * bulk copy, verifies them with the checksum verifier, and returns the figures (rows, seconds, differences) for
 * the demo to print. Every table of the source schema that has {@code tenantColumn} is the tenant's; tables
 * missing on the target are created from the source's own {@code SHOW CREATE TABLE}. Nothing here is faked:
 * the figures are what the copy and the verification measured.
 */
public final class TenantDataMove {
    /** What the move measured. */
    public record Figures(String tenant, int tables, long rowsCopied, Duration copy, long rowsVerified, Duration verify,
                          int differences) {
        public Figures {
            Objects.requireNonNull(tenant, "tenant");
        }

        /** {@code tenant acme: copied 12,345 rows of 3 tables in 1.2 s; verified 12,345 rows in 0.3 s: equal}. */
        public String describe() {
            return String.format(Locale.ROOT, "tenant %s: copied %,d rows of %d tables in %.1f s; verified %,d rows in %.1f s: %s",
                    tenant, rowsCopied, tables, copy.toMillis() / 1000.0, rowsVerified, verify.toMillis() / 1000.0,
                    differences == 0 ? "equal" : differences + " differences");
        }
    }

    private TenantDataMove() {
    }

    /** Copies and verifies the tenant whose {@code tenantColumn} holds {@code tenantDatabaseId}. */
    public static Figures run(SandboxSchema source, SandboxSchema target, String tenantColumn, String tenantDatabaseId,
                              String tenantName) throws InterruptedException {
        try (HikariDataSource s = pool(source); HikariDataSource t = pool(target)) {
            SchemaInspector sourceInspector = new SchemaInspector(s, "sandbox " + source.server().name());
            SchemaInspector targetInspector = new SchemaInspector(t, "sandbox " + target.server().name());
            Schema sourceSchema = sourceInspector.inspect(source.name());
            List<Table> tenantTables = sourceSchema.tables().stream()
                    .filter(table -> table.column(tenantColumn).isPresent() && table.rowKey().isPresent()).toList();
            Schema targetSchema = targetInspector.inspect(target.name());
            for (Table table : tenantTables) {
                if (targetSchema.table(table.name()).isEmpty()) {
                    target.execute(sourceInspector.showCreateTable(source.name(), table.name()));
                }
            }
            targetSchema = targetInspector.inspect(target.name());
            TenantRows rows = (schema, alias) -> Optional.of(SqlIdentifier.column(alias, tenantColumn) + " = ?");
            List<CopyTable> copyTables = new ArrayList<>();
            List<TableToVerify> verifyTables = new ArrayList<>();
            for (Table table : tenantTables) {
                Table targetTable = targetSchema.table(table.name()).orElseThrow();
                copyTables.add(new CopyTable(table, targetTable, table.rowKey().orElseThrow(), rows));
                verifyTables.add(new TableToVerify(table, targetTable, table.rowKey().orElseThrow(), rows,
                        Optional.of(tenantDatabaseId), Map.of(), Map.of()));
            }
            CopyEndpoint sourceEnd = new CopyEndpoint(s, source.name(), sourceInspector.serverInfo(), "sandbox source");
            CopyEndpoint targetEnd = new CopyEndpoint(t, target.name(), targetInspector.serverInfo(), "sandbox target");
            CopyResult copied = new CopyJob(sourceEnd, targetEnd, copyTables, Optional.of(tenantDatabaseId), tenantName,
                    CopySettings.defaults(), CharsetOverrides.NONE, CopyHooks.NONE).run();
            VerifyReport verified = new Verifier(
                    new VerifySide(s, source.name(), sourceInspector.serverInfo(), "sandbox source"),
                    new VerifySide(t, target.name(), targetInspector.serverInfo(), "sandbox target"),
                    Verifier.Options.defaults()).verify(verifyTables);
            return new Figures(tenantName, tenantTables.size(), copied.totalRows(), copied.elapsed(), verified.sourceRows(),
                    verified.elapsed(), verified.differences().size());
        }
    }

    private static HikariDataSource pool(SandboxSchema schema) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("hikkoshi-demo-" + schema.server().name());
        config.setJdbcUrl(schema.jdbcUrl());
        config.setUsername(schema.server().user());
        config.setMaximumPoolSize(16);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }
}
