package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.scope.ScopeReport;
import dev.hikkoshi.data.scope.TenantRowCounter;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi data inspect -c FILE [TENANT | --all]}: inspects both databases and prints the scope per
 * table (classification, row key, rows) and its warnings; every scope error is reported at the end (exit 2).
 * With a TENANT, the rows column is that tenant's exact row count; otherwise the server's estimate.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print how each table is moved (tenant column, join path, shared), its key and rows; check the scope.")
public final class DataInspectCommand implements Callable<Integer> {
    @Mixin
    DataOptions options;

    @Parameters(arity = "0..1", paramLabel = "TENANT", description = "count this tenant's rows in each table")
    String tenant;

    @CommandLine.Option(names = "--all", description = "the whole scope, with estimated row counts (the default)")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (tenant != null && all) {
            throw new UserException("give either a TENANT or --all, not both",
                    "run 'hikkoshi data inspect -c FILE acme' for one tenant, or with --all for the whole scope");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DataContext data = options.open(2)) {
            out.println("source: " + data.source().describe() + ", " + data.source().serverInfo().describe());
            out.println("target: " + data.target().describe() + ", " + data.target().serverInfo().describe());
            ScopeReport report = data.inspectScope();
            if (tenant != null) {
                Tenant t = data.tenant(tenant);
                out.println("tenant: " + t.id() + " (id " + t.databaseId() + ")");
                out.println();
                ScopeTable.print(out, report.scope(), "ROWS",
                        table -> TenantRowCounter.count(data.source(), table, t.databaseId()));
            } else {
                out.println();
                ScopeTable.print(out, report.scope(), "ROWS (EST.)", table -> table.table().rowEstimate());
            }
            out.flush();
            report.orThrow();
        }
        return 0;
    }
}
