package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyResult;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.ScopeCopy;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TargetTableCreator;
import dev.hikkoshi.data.scope.TenantRowCounter;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.verify.TableReport;
import dev.hikkoshi.data.verify.Verifier;
import dev.hikkoshi.data.verify.VerifyReport;
import dev.hikkoshi.data.verify.VerifySide;
import dev.hikkoshi.data.verify.VerifyTables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The data part of {@code hikkoshi demo}: copies one tenant's rows from the source site's database to the
 * target's with the data engine's public path (the scope checked by {@code ScopeResolver}, missing target tables
 * created by {@link TargetTableCreator}, the copy built by {@link ScopeCopy}, the rows proved equal by the
 * {@link Verifier}), then counts every row the target holds, so the demo can show that no other tenant's rows
 * were copied. Nothing here is faked: the figures are what the copy, the verifier and the counts measured.
 */
public final class TenantDataMove {
    /**
     * One per-tenant table: the tenant's rows copied by this run, the tenant's rows on the source and on the
     * target as the verifier counted them, the rows the verifier found different, and every row of the table on
     * the target (whoever they belong to).
     */
    public record TableFigures(String table, long copied, long sourceRows, long targetRows, int differences,
                               long targetTotal) {
        public TableFigures {
            Objects.requireNonNull(table, "table");
        }
    }

    /** What the move measured. */
    public record Figures(String tenant, String source, String target, List<TableFigures> tables, Duration copy,
                          Duration verify) {
        public Figures {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            tables = List.copyOf(tables);
        }

        public long rowsCopied() {
            return tables.stream().mapToLong(TableFigures::copied).sum();
        }

        public long rowsVerified() {
            return tables.stream().mapToLong(TableFigures::sourceRows).sum();
        }

        public int differences() {
            return tables.stream().mapToInt(TableFigures::differences).sum();
        }

        /** Every row the target holds in the tenant's tables: equal to {@link #rowsVerified} when it holds only the tenant's. */
        public long targetTotal() {
            return tables.stream().mapToLong(TableFigures::targetTotal).sum();
        }

        /** Rows copied per second of the copy's wall time. */
        public double copyRowsPerSecond() {
            return rowsCopied() / Math.max(0.001, copy.toNanos() / 1e9);
        }

        /** {@code tenant acme: copied 12,345 rows of 3 tables in 1.2 s; verified 12,345 rows in 0.3 s: equal}. */
        public String describe() {
            return String.format(Locale.ROOT, "tenant %s: copied %,d rows of %d tables in %.1f s; verified %,d rows in %.1f s: %s",
                    tenant, rowsCopied(), tables.size(), copy.toMillis() / 1000.0, rowsVerified(), verify.toMillis() / 1000.0,
                    differences() == 0 ? "equal" : differences() + " differences");
        }
    }

    private TenantDataMove() {
    }

    /** Copies and verifies {@code tenant}'s rows of every per-tenant table in the scope of {@code data}'s config. */
    public static Figures run(DataContext data, Tenant tenant) throws InterruptedException {
        TenantScope scope = data.inspectScope().orThrow();
        if (scope.perTenantTables().isEmpty()) {
            throw new UserException("no table in scope is per tenant, so tenant " + tenant.id() + " has no rows to move",
                    "classify tables with data.tenant-column or data.tables");
        }
        List<Table> missing = TargetTableCreator.missing(scope.tables().stream().map(TableScope::table).toList(),
                data.targetSchema());
        if (!missing.isEmpty()) {
            new TargetTableCreator(data.source(), data.target()).create(missing);
        }
        CopyResult copied = ScopeCopy.tenant(scope, data.targetSchema(), data.source(), data.target(), tenant,
                CopySettings.of(data.config().copy()), CopyHooks.NONE).run();
        VerifyReport verified = new Verifier(side(data, true), side(data, false), Verifier.Options.defaults())
                .verify(VerifyTables.forTenant(scope, data.targetSchema(), tenant, data.source().config(),
                        data.target().config()));
        List<TableFigures> tables = new ArrayList<>();
        for (TableScope t : scope.perTenantTables()) {
            TableReport report = verified.tables().stream().filter(r -> r.table().equals(t.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the verifier did not report table " + t.name()));
            // The same table read whole: every row the target holds, whoever it belongs to.
            long targetTotal = TenantRowCounter.count(data.target(),
                    new TableScope(t.table(), new TableClass.WholeTable(), t.rowKey(), List.of()), tenant.databaseId());
            tables.add(new TableFigures(t.name(), copied.rowsByTable().getOrDefault(t.name(), 0L), report.sourceRows(),
                    report.targetRows(), report.differences().size(), targetTotal));
        }
        return new Figures(tenant.id().value(), data.source().describe(), data.target().describe(), tables, copied.elapsed(), verified.elapsed());
    }

    private static VerifySide side(DataContext data, boolean source) {
        var db = source ? data.source() : data.target();
        return new VerifySide(db.dataSource(), db.schema(), db.serverInfo(), db.describe());
    }
}
