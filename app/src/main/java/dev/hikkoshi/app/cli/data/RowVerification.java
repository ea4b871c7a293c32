package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.config.ScopeMode;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.verify.CharsetSampler;
import dev.hikkoshi.data.verify.RowDifference;
import dev.hikkoshi.data.verify.RowRepairer;
import dev.hikkoshi.data.verify.TableReport;
import dev.hikkoshi.data.verify.TableToVerify;
import dev.hikkoshi.data.verify.Verifier;
import dev.hikkoshi.data.verify.VerifyReport;
import dev.hikkoshi.data.verify.VerifySide;
import dev.hikkoshi.data.verify.VerifyTables;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Row verification for {@code hikkoshi data verify -c FILE [TENANT | --all] [--table NAME]... [--repair]}: checks the scope,
 * warns of latin1 columns that look like UTF-8 or cp932, verifies, prints each table and each differing row by
 * key, and with {@code --repair} re-copies those rows and checks them again. Exit code 0 when the target is
 * (or was made) equal, {@link #DIFFERENCES} when differences remain.
 */
final class RowVerification {
    /** Exit code when the target differs: not a user error (2) nor a failure (1), a result scripts can test. */
    static final int DIFFERENCES = 3;
    /** Differing rows printed per table; the count is always exact. */
    static final int PRINTED_PER_TABLE = 50;

    private RowVerification() {
    }

    /** {@code onlyTables}: the names of the tables to verify (any case), or empty for every table of the subject. */
    static int run(DataContext data, Optional<String> tenantName, List<String> onlyTables, boolean repair,
                   Verifier.Options options, PrintWriter out) {
        TenantScope scope = data.inspectScope().orThrow();
        Schema targetSchema = data.targetSchema();
        List<TableToVerify> tables;
        if (tenantName.isPresent()) {
            if (scope.mode() == ScopeMode.WHOLE_SCHEMA) {
                throw new UserException("the config moves whole schemas (data.mode: whole-schema), so there is no tenant "
                        + tenantName.get() + " to verify", "run 'hikkoshi data verify -c FILE --all' to verify every row");
            }
            Tenant tenant = data.tenant(tenantName.get());
            tables = VerifyTables.forTenant(scope, targetSchema, tenant, data.source().config(), data.target().config());
            out.println("verifying tenant " + tenant.id() + " (id " + tenant.databaseId() + "): " + data.source().describe()
                    + " -> " + data.target().describe());
        } else {
            tables = VerifyTables.allRows(scope, targetSchema, data.source().config(), data.target().config());
            out.println("verifying every row: " + data.source().describe() + " -> " + data.target().describe());
        }
        tables = only(tables, onlyTables, tenantName);
        VerifySide source = side(data.source());
        VerifySide target = side(data.target());
        String site = data.source().config().site().value();
        for (CharsetSampler.Finding f : new CharsetSampler(source).sample(tables.stream().map(TableToVerify::source).toList(),
                (t, c) -> data.source().config().charsetOverride(t, c).isPresent())) {
            out.println("warning: " + f.describe());
            out.println("  hint: " + f.hint(site));
        }
        Verifier verifier = new Verifier(source, target, options);
        VerifyReport report = verifier.verify(tables);
        print(report, out);
        if (report.equal()) {
            return 0;
        }
        if (!repair) {
            out.println("hint: run again with --repair to re-copy exactly these rows");
            return DIFFERENCES;
        }
        RowRepairer.Result result = new RowRepairer(verifier, endpoint(data.source()), endpoint(data.target()))
                .repair(tables, report);
        long copied = result.rowsCopied().values().stream().mapToLong(Long::longValue).sum();
        out.printf("repaired %,d row%s: %,d copied from the source, the rest deleted from the target%n",
                result.keysRepaired(), result.keysRepaired() == 1 ? "" : "s", copied);
        if (result.remaining().isEmpty()) {
            out.println("re-checked those rows: all equal now");
            return 0;
        }
        out.println("re-checked those rows: " + result.remaining().size() + " still differ (the source may be changing)");
        result.remaining().forEach(d -> out.println("  " + d.describe()));
        return DIFFERENCES;
    }

    /**
     * The tables of {@code tables} named in {@code names}, in their order; all of them when no name is given. A name
     * that is not among them is a user error naming what may be given.
     */
    static List<TableToVerify> only(List<TableToVerify> tables, List<String> names, Optional<String> tenantName) {
        if (names.isEmpty()) {
            return tables;
        }
        Set<String> wanted = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Set<String> known = tables.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<String> unknown = names.stream().filter(n -> !known.contains(n.toLowerCase(Locale.ROOT))).toList();
        if (!unknown.isEmpty()) {
            String subject = tenantName.map(t -> "tenant " + t + "'s tables (the per-tenant tables in scope)")
                    .orElse("the tables in scope");
            throw new UserException("--table " + String.join(", ", unknown) + ": not among " + subject,
                    "give one of " + tables.stream().map(TableToVerify::name).sorted().collect(Collectors.joining(", "))
                            + (tenantName.isPresent() ? "; a shared table is verified with --all" : ""));
        }
        return tables.stream().filter(t -> wanted.contains(t.name().toLowerCase(Locale.ROOT))).toList();
    }

    static VerifySide side(SiteDatabase db) {
        return new VerifySide(db.dataSource(), db.schema(), db.serverInfo(), db.describe());
    }

    static CopyEndpoint endpoint(SiteDatabase db) {
        return new CopyEndpoint(db.dataSource(), db.schema(), db.serverInfo(), db.describe());
    }

    static void print(VerifyReport report, PrintWriter out) {
        for (TableReport table : report.tables()) {
            out.println(table.describe());
            List<RowDifference> differences = table.differences();
            differences.stream().limit(PRINTED_PER_TABLE).forEach(d -> out.println("  " + d.describe()));
            if (differences.size() > PRINTED_PER_TABLE) {
                out.printf("  ... and %,d more%n", differences.size() - PRINTED_PER_TABLE);
            }
        }
        out.println(report.summary());
        out.flush();
    }
}
