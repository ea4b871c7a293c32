package dev.hikkoshi.app.cli.data;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.ScopeCopy;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.stream.Captures;
import dev.hikkoshi.data.stream.StreamCheckpoints;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.data.verify.DirtyRowCheck;
import dev.hikkoshi.data.verify.Verifier;
import dev.hikkoshi.data.verify.VerifySide;
import dev.hikkoshi.data.verify.VerifyTables;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi data sync -c FILE TENANT [--until-caught-up [--verify-dirty N]]}: notes the source's change position (unless
 * the tenant's stream has a checkpoint already), copies the tenant's rows (resuming an interrupted copy), then
 * streams the changes made since, until interrupted or, with {@code --until-caught-up}, until everything
 * committed on the source before that moment is applied, then with {@code --verify-dirty N} compares up to N
 * of the rows this run changed and prints how long that took. The capture is the source site's {@code capture:}.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Copy a tenant's rows if needed, then stream its changes to the target.")
public final class DataSyncCommand implements Callable<Integer> {
    @Mixin
    DataOptions options;

    @Parameters(paramLabel = "TENANT", description = "the tenant whose changes to stream")
    String tenant;

    @Option(names = "--until-caught-up", description = "stop once the target holds every change committed before now")
    boolean untilCaughtUp;

    @Option(names = "--verify-dirty", paramLabel = "N", description = "with --until-caught-up: then verify up to N of"
            + " the rows this run changed on the target against the source, and print how long that took")
    Integer verifyDirty;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (verifyDirty != null && (!untilCaughtUp || verifyDirty < 1)) {
            throw new UserException("--verify-dirty " + verifyDirty + " needs --until-caught-up and a number of rows of"
                    + " at least 1", "add --until-caught-up, e.g. 'hikkoshi data sync -c FILE " + tenant
                    + " --until-caught-up --verify-dirty 1000'");
        }
        try (DataContext data = options.open(16)) {
            TenantScope scope = data.inspectScope().orThrow();
            Tenant t = data.tenant(tenant);
            if (scope.perTenantTables().isEmpty()) {
                throw new UserException("no table in scope is per tenant, so tenant " + tenant + " has no rows to sync",
                        "classify tables with data.tenant-column or data.tables");
            }
            try (ChangeCapture capture = Captures.open(data, scope, t)) {
                TenantStream.Setup setup = TenantStream.Setup.of(data, scope, t, false);
                StreamCheckpoints.Checkpoint start = note(data, setup, capture);
                out.println("stream " + setup.id() + " starts at " + start.position().text());
                ScopeCopy.tenant(scope, data.targetSchema(), data.source(), data.target(), t,
                        CopySettings.of(data.config().copy()), CopyHooks.NONE).run();
                try (TenantStream stream = TenantStream.start(setup, capture, start.position())) {
                    if (untilCaughtUp) {
                        boolean done = stream.awaitCaughtUp(Duration.ofHours(1));
                        print(out, stream.status());
                        if (!done) {
                            throw new UserException("stream " + setup.id() + " did not catch up: "
                                    + stream.status().problem().orElse("still behind after an hour"),
                                    "see 'hikkoshi data status -c FILE' and the log");
                        }
                        if (verifyDirty != null) {
                            verifyDirty(out, data, scope, t, stream);
                        }
                        return 0;
                    }
                    while (true) {
                        Thread.sleep(10_000);
                        StreamStatus status = stream.status();
                        print(out, status);
                        if (status.problem().isPresent()) {
                            throw new UserException("stream " + setup.id() + " ended " + status.state() + ": "
                                    + status.problem().get(), "fix the cause, then run 'hikkoshi data resume -c FILE'");
                        }
                    }
                }
            }
        }
    }

    /** Verifies up to {@code --verify-dirty} rows of the stream's dirty set; differing rows are a failure. */
    private void verifyDirty(PrintWriter out, DataContext data, TenantScope scope, Tenant t, TenantStream stream) {
        Verifier verifier = new Verifier(side(data.source()), side(data.target()), Verifier.Options.defaults());
        DirtyRowCheck.Result checked = DirtyRowCheck.verify(verifier, VerifyTables.forTenant(scope, data.targetSchema(), t,
                data.source().config(), data.target().config()), stream.dirtyKeys().keys(), verifyDirty);
        out.println(String.format(Locale.ROOT, "verified %,d dirty rows in %d ms: %s", checked.rows(),
                checked.took().toMillis(), checked.differences().isEmpty() ? "all equal"
                        : checked.differences().size() + " differ"));
        out.flush();
        if (!checked.differences().isEmpty()) {
            throw new UserException(checked.differences().size() + " of " + checked.rows() + " dirty rows of tenant "
                    + tenant + " differ after catch-up, first: " + checked.differences().get(0),
                    "run 'hikkoshi data verify -c FILE " + tenant + "' for the full report");
        }
    }

    private static VerifySide side(dev.hikkoshi.data.connect.SiteDatabase db) {
        return new VerifySide(db.dataSource(), db.schema(), db.serverInfo(), db.describe());
    }

    private static StreamCheckpoints.Checkpoint note(DataContext data, TenantStream.Setup setup, ChangeCapture capture) {
        try {
            return StreamCheckpoints.note(data.target().dataSource(), setup.name(), capture.currentPosition());
        } catch (SQLException e) {
            throw new DatabaseException("noting the start of stream " + setup.id(), data.target().describe(), e);
        }
    }

    static void print(PrintWriter out, StreamStatus s) {
        out.println(String.format(Locale.ROOT, "%s %s %s at %s: lag %.1f s, %,d events behind, %,d changes applied,"
                        + " %,d dirty rows%s", s.id(), s.mode(), s.state(), s.position(), s.lagSeconds(), s.lagEvents(),
                s.appliedChanges(), s.dirtyRows(), s.problem().map(p -> " (" + p + ")").orElse("")));
        out.flush();
    }
}
