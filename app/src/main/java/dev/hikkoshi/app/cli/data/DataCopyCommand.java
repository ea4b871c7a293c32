package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyJob;
import dev.hikkoshi.data.copy.CopyResult;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.ScopeCopy;
import dev.hikkoshi.data.scope.TenantScope;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi data copy -c FILE [TENANT | --all] [--restart]}: copies one tenant's rows (or every row in
 * scope) from the source site's database to the target's, resuming the checkpoint of an earlier run of the
 * same copy unless {@code --restart}. Rows already on the target are left as they are.
 */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = "Copy a tenant's rows (or every row with --all) to the target, resuming an interrupted copy.")
public final class DataCopyCommand implements Callable<Integer> {
    @Mixin
    DataOptions options;

    @Parameters(arity = "0..1", paramLabel = "TENANT", description = "the tenant whose rows to copy")
    String tenant;

    @Option(names = "--all", description = "copy every row of every table in scope")
    boolean all;

    @Option(names = "--restart", description = "forget the checkpoint of an earlier run and start from the first row"
            + " (rows already copied stay on the target)")
    boolean restart;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if ((tenant == null) == !all) {
            throw new UserException(tenant == null ? "data copy needs a TENANT or --all"
                    : "give either a TENANT or --all, not both",
                    "run 'hikkoshi data copy -c FILE acme' for one tenant, or 'hikkoshi data copy -c FILE --all' for every row");
        }
        PrintWriter out = spec.commandLine().getOut();
        // The pools open connections lazily: the bound only needs to cover data.copy.parallelism (at most 64),
        // a connection per worker on each side plus the planner and the load monitor.
        try (DataContext data = options.open(66)) {
            CopySettings settings = CopySettings.of(data.config().copy());
            TenantScope scope = data.inspectScope().orThrow();
            CopyJob job;
            if (all) {
                job = ScopeCopy.all(scope, data.targetSchema(), data.source(), data.target(), settings, CopyHooks.NONE);
            } else {
                Tenant t = data.tenant(tenant);
                if (scope.perTenantTables().isEmpty()) {
                    throw new UserException("no table in scope is per tenant, so tenant " + tenant + " has no rows to copy",
                            "classify tables with data.tenant-column or data.tables, or copy every row with --all");
                }
                job = ScopeCopy.tenant(scope, data.targetSchema(), data.source(), data.target(), t, settings, CopyHooks.NONE);
            }
            if (restart) {
                job.checkpoints().reset(data.target().dataSource(), data.target().describe());
            }
            CopyResult result = job.run();
            double seconds = Math.max(0.001, result.elapsed().toNanos() / 1e9);
            out.println(String.format(Locale.ROOT, "copied %,d rows of %s from %s to %s in %.1f s (%,.0f rows/s); %,d rows"
                            + " in all with earlier runs", result.rowsThisRun(), all ? "every tenant" : "tenant " + tenant,
                    data.source().describe(), data.target().describe(), seconds, result.rowsThisRun() / seconds,
                    result.totalRows()));
            out.flush();
        }
        return 0;
    }
}
