package dev.hikkoshi.app.cli.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.PurgeReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi data purge TENANT --site S -c FILE [--yes]}: removes a finalized tenant's stale rows from the site
 * it left. The command asks for the tenant's name as confirmation (or takes {@code --yes}), then asks the
 * controller, which checks the move's state and the routing table, deletes, and audits; it prints the rows removed
 * per table. Listed under {@code hikkoshi data}, but a client of the controller's admin API like the other
 * operating commands.
 */
@Command(name = "purge", mixinStandardHelpOptions = true,
        description = "Remove a FINALIZED tenant's stale rows from the site it left (asks for confirmation).")
public final class PurgeCommand implements Callable<Integer> {
    /** Where the confirmation is read; tests put their own here. */
    static InputStream input = System.in;

    @Mixin
    ControllerOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TENANT", description = "the finalized tenant whose stale rows go")
    String tenant;

    @Option(names = "--site", required = true, paramLabel = "SITE", description = "the site the tenant left")
    String site;

    @Option(names = "--yes", description = "do not ask for confirmation (for scripts)")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        if (!TenantId.isValid(tenant)) {
            throw new UserException("not a tenant name: " + tenant,
                    "a tenant name has 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        if (!SiteId.isValid(site)) {
            throw new UserException("not a site name: " + site, "name a site of the config's sites section");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!yes) {
            confirm(out);
        }
        PurgeReport report = options.client().purge(ControllerOptions.actor(), TenantId.of(tenant), SiteId.of(site));
        out.println("purged " + tenant + " from " + site + ": " + count(report.totalRows()) + " rows removed");
        int width = report.rowsByTable().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Long> e : report.rowsByTable().entrySet()) {
            out.println(String.format(Locale.ROOT, "  %-" + width + "s  %s", e.getKey(), count(e.getValue())));
        }
        report.kept().forEach(k -> out.println("kept: " + k));
        out.flush();
        return 0;
    }

    private void confirm(PrintWriter out) throws IOException {
        out.print("This deletes every row of " + tenant + " on site " + site + " for good (the controller first "
                + "checks that " + tenant + " is FINALIZED and served by another site).\nType the tenant's name to "
                + "confirm: ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8)).readLine();
        out.println();
        if (answer == null) {
            throw new UserException("purge not confirmed: no answer was typed", "type the tenant's name when asked, "
                    + "or pass --yes in scripts; nothing was deleted");
        }
        if (!answer.strip().equals(tenant)) {
            throw new UserException("purge not confirmed: the answer was not " + tenant,
                    "nothing was deleted; run it again and type " + tenant + " exactly, or pass --yes in scripts");
        }
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
