package dev.hikkoshi.app.cli.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.cutover.move.SharedTableSync;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi shared switch TABLE --writer SITE -c FILE}: asks the controller to move a shared table's single
 * writer (it freezes the writes to the table on the old writer, drains the stream, verifies the table equal on
 * both sites, records the new writer and syncs the other way from then on). Prints what the controller did; its
 * refusals come back as {@code error:}/{@code hint:} lines. {@link #lines} is how {@code hikkoshi status} shows
 * the writers.
 */
@Command(name = "shared", mixinStandardHelpOptions = true, description = "Shared tables: who writes them.",
        subcommands = {SharedCommand.Switch.class})
public final class SharedCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code hikkoshi shared switch TABLE --writer SITE -c FILE}. */
    @Command(name = "switch", mixinStandardHelpOptions = true,
            description = "Move a shared table's single writer to another site (with a short freeze of its writes).")
    public static final class Switch implements Callable<Integer> {
        @Mixin
        ControllerOptions options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TABLE", description = "the shared table (data.tables.NAME.shared)")
        String table;

        @Option(names = "--writer", required = true, paramLabel = "SITE", description = "the table's new writer site")
        String writer;

        @Override
        public Integer call() {
            if (!SiteId.isValid(writer)) {
                throw new UserException("not a site name: " + writer, "name a site of the config's sites section");
            }
            SharedTableSync.Switched s = options.client().switchSharedWriter(ControllerOptions.actor(), table,
                    SiteId.of(writer));
            PrintWriter out = spec.commandLine().getOut();
            out.println(String.format(Locale.ROOT, "%s is written on %s now (was %s): %,d rows verified equal on both"
                    + " sites, its writes were frozen for %,d ms", s.table(), s.to(), s.from(), s.rowsVerified(),
                    s.frozen().toMillis()));
            out.flush();
            return 0;
        }
    }

    /** One line per shared table, for {@code hikkoshi status}: its writer, and who switched it when. */
    static List<String> lines(List<SharedTableSync.Writer> writers) {
        return writers.stream().map(w -> "shared table " + w.table() + ": written on " + w.writer()
                + (w.switchedAt().isEmpty() ? " (as the config says)" : " since " + w.switchedAt().get()
                + " (switched by " + w.switchedBy().orElse("-") + "; the config says " + w.configured() + ")"))
                .toList();
    }
}
