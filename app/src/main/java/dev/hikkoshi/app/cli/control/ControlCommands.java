package dev.hikkoshi.app.cli.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.plan.Plan;
import dev.hikkoshi.cutover.plan.PlanFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operating commands that act on the plan ({@code apply}, {@code pause}, {@code resume}, {@code rollback},
 * {@code finalize}, {@code approve}): each sends one request to the controller's admin API and prints one line
 * saying what the controller accepted. The controller's refusals come back as its own {@code error:} and
 * {@code hint:} lines (exit 2), and it writes every request, accepted or refused, to its audit log.
 */
public final class ControlCommands {
    private ControlCommands() {
    }

    /** The parts every action shares: the options, and printing the one line of its outcome. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        ControllerOptions options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        int done(String line) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(line);
            out.flush();
            return 0;
        }

        String statusHint() {
            return "hikkoshi status -c " + options.config;
        }
    }

    /** {@code hikkoshi apply PLAN -c FILE} and {@code hikkoshi apply --resume -c FILE}. */
    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Run a plan made by hikkoshi plan (refused if the world changed since), or continue the "
                    + "journaled one with --resume.")
    public static final class Apply extends Action {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PLAN", description = "the plan file hikkoshi plan -o wrote")
        Path plan;

        @Option(names = "--resume", description = "continue the plan the controller journaled (after a restart)")
        boolean resume;

        @Override
        public Integer call() {
            if (plan != null && resume) {
                throw new UserException("apply takes a PLAN or --resume, not both",
                        "hikkoshi apply PLAN -c FILE runs a new plan; hikkoshi apply --resume -c FILE continues the "
                                + "journaled one");
            }
            if (plan == null && !resume) {
                throw new UserException("apply needs a PLAN (or --resume to continue the journaled plan)",
                        "make one with hikkoshi plan -c FILE -o PLAN, then run hikkoshi apply PLAN -c FILE");
            }
            if (resume) {
                options.client().resumePlan(ControllerOptions.actor());
                return done("plan continued: the controller runs its journaled plan (" + statusHint() + " shows it)");
            }
            Plan read = PlanFile.read(plan);
            options.client().adopt(ControllerOptions.actor(), read);
            int tenants = read.tenants().size();
            return done("plan " + read.id().substring(0, Math.min(12, read.id().length())) + " applied: the controller "
                    + "runs its " + read.waves().size() + (read.waves().size() == 1 ? " wave" : " waves") + " ("
                    + tenants + (tenants == 1 ? " tenant" : " tenants") + "; " + statusHint() + " shows them)");
        }
    }

    /** {@code hikkoshi pause -c FILE [--reason TEXT]}. */
    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Stop starting new moves; moves in progress finish their current step and wait.")
    public static final class Pause extends Action {
        @Option(names = "--reason", paramLabel = "TEXT", description = "why, for status and the audit log")
        String reason;

        @Override
        public Integer call() {
            options.client().pause(ControllerOptions.actor(), reason == null ? "" : reason);
            return done("plan paused: moves in progress finish their current step and wait (hikkoshi resume -c "
                    + options.config + " continues)");
        }
    }

    /** {@code hikkoshi resume -c FILE}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a paused plan.")
    public static final class Resume extends Action {
        @Override
        public Integer call() {
            options.client().resume(ControllerOptions.actor());
            return done("plan resumed");
        }
    }

    /** {@code hikkoshi rollback TENANT -c FILE}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Roll a switched tenant back to its old site (SWITCHED, BAKING or DONE).")
    public static final class Rollback extends Action {
        @Parameters(index = "0", paramLabel = "TENANT", description = "the tenant to roll back")
        String tenant;

        @Override
        public Integer call() {
            options.client().rollback(ControllerOptions.actor(), tenant(tenant));
            return done("rollback of " + tenant + " started (" + statusHint() + " shows its progress)");
        }
    }

    /** {@code hikkoshi finalize TENANT -c FILE}. */
    @Command(name = "finalize", mixinStandardHelpOptions = true,
            description = "Stop a DONE tenant's reverse sync; a rollback is no longer possible afterwards.")
    public static final class Finalize extends Action {
        @Parameters(index = "0", paramLabel = "TENANT", description = "the tenant to finalize")
        String tenant;

        @Override
        public Integer call() {
            options.client().finalizeMove(ControllerOptions.actor(), tenant(tenant));
            return done(tenant + " finalized: its reverse sync stops, and it can no longer be rolled back");
        }
    }

    /** {@code hikkoshi approve WAVE -c FILE}. */
    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Open a wave whose plan asks for approval, or let its moves waiting for approval (an "
                    + "inconclusive bake) go on.")
    public static final class Approve extends Action {
        @Parameters(index = "0", paramLabel = "WAVE", description = "the wave whose waiting moves go on")
        String wave;

        @Override
        public Integer call() {
            options.client().approve(ControllerOptions.actor(), wave);
            return done("wave " + wave + " approved: it starts when the waves before it are done, and its moves "
                    + "waiting for approval go on");
        }
    }

    private static TenantId tenant(String name) {
        if (!TenantId.isValid(name)) {
            throw new UserException("not a tenant name: " + name,
                    "a tenant name has 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        return TenantId.of(name);
    }
}
