package dev.hikkoshi.app.check;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.cutover.control.ControllerAdminConfig;
import dev.hikkoshi.cutover.control.ControllerApiException;
import dev.hikkoshi.cutover.control.ControllerClient;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import dev.hikkoshi.watch.check.CheckResult;
import dev.hikkoshi.watch.check.CheckStatus;
import dev.hikkoshi.watch.check.MoveCheck;
import dev.hikkoshi.watch.check.Threshold;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hikkoshi check move [TENANT]}: the moves as the controller's admin API reports them. An unreachable
 * controller is CRITICAL; a refused token, a config or usage mistake is UNKNOWN.
 */
@Command(name = "move", mixinStandardHelpOptions = true,
        description = "Checks the moves: none failed, none stuck, the plan not paused (from the controller's admin API).")
public final class MoveCheckCommand implements Callable<Integer>, PluginCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TENANT", description = "only this tenant's move")
    String tenant;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @Option(names = "--token-env", paramLabel = "VAR",
            description = "the variable holding a controller admin token (default: the first of controller.admin.tokens that is set)")
    String tokenEnv;

    @Option(names = "--warning-age", paramLabel = "SECONDS", defaultValue = "1800",
            description = "a move in a working state for longer warns (default: ${DEFAULT-VALUE})")
    double warningAge;

    @Option(names = "--critical-age", paramLabel = "SECONDS", defaultValue = "7200",
            description = "... and is critical beyond this (default: ${DEFAULT-VALUE})")
    double criticalAge;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "for the controller's answer; longer is CRITICAL (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public String service() {
        return "MOVE";
    }

    @Override
    public Integer call() {
        return RouterOptions.print(service(), spec.commandLine().getOut(), this::check);
    }

    private CheckResult check() {
        Threshold age;
        try {
            age = new Threshold(Optional.of(warningAge), Optional.of(criticalAge));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), "give --warning-age at or below --critical-age");
        }
        ControllerAdminConfig admin = ControllerAdminConfig.load(ConfigDocument.read(config, RouterOptions.environment));
        ControllerAdminConfig.ClientToken token = admin.clientToken(Optional.ofNullable(tokenEnv), RouterOptions.environment);
        ControllerClient client = new ControllerClient(admin.url(), token.secret(), token.variable(), timeout);
        ControllerStatus status;
        try {
            status = client.status();
        } catch (UserException e) {
            if (e.getCause() instanceof IOException) { // refused or timed out: the plugin guidelines say CRITICAL
                return new CheckResult(service(), CheckStatus.CRITICAL, e.getMessage(), List.of());
            }
            throw e;
        } catch (ControllerApiException e) {
            return CheckResult.unknown(service(), e.getMessage());
        }
        return MoveCheck.run(status.moves(), status.paused(), status.pauseReason(), Optional.ofNullable(tenant),
                new MoveCheck.Options(age), Instant.now());
    }
}
