package dev.hikkoshi.app.check;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.watch.check.CheckResult;
import dev.hikkoshi.watch.check.RouterCheck;
import dev.hikkoshi.watch.check.RouterEndpoint;
import dev.hikkoshi.watch.check.Threshold;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options the router-facing checks share (a picocli mixin): where the routers are, the window and the
 * thresholds; and how a check's outcome becomes its one line and exit code.
 */
public final class RouterOptions {
    /** Where token variables are read; tests put their own here. */
    static java.util.Map<String, String> environment = System.getenv();

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "the config file (routers from controller.routers, or router.admin)")
    Path config;

    @Option(names = "--router", paramLabel = "URL", description = "a router's admin URL instead of the config's routers")
    String router;

    @Option(names = "--token-env", paramLabel = "VAR", description = "with --router: the variable holding its admin token")
    String tokenEnv;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.class,
            description = "traffic window judged (default: ${DEFAULT-VALUE})")
    Duration window;

    @Option(names = "--warning-error-rate", paramLabel = "PERCENT", defaultValue = "1",
            description = "5xx rate above which the check warns (default: ${DEFAULT-VALUE})")
    double warningErrorRate;

    @Option(names = "--critical-error-rate", paramLabel = "PERCENT", defaultValue = "5",
            description = "5xx rate above which the check is critical (default: ${DEFAULT-VALUE})")
    double criticalErrorRate;

    @Option(names = "--warning-p99", paramLabel = "MILLIS", description = "p99 latency above which the check warns")
    Double warningP99;

    @Option(names = "--critical-p99", paramLabel = "MILLIS", description = "p99 latency above which the check is critical")
    Double criticalP99;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "per request to a router; longer is CRITICAL (default: ${DEFAULT-VALUE})")
    Duration timeout;

    List<RouterEndpoint> routers() {
        if (router != null) {
            if (tokenEnv == null) {
                throw new UserException("--router needs --token-env VAR", "name the variable that holds the admin token");
            }
            return List.of(RouterEndpoint.of(router, tokenEnv, environment));
        }
        if (config == null) {
            throw new UserException("no routers to check", "pass -c FILE (or --router URL --token-env VAR)");
        }
        ConfigDocument doc = ConfigDocument.read(config, environment);
        List<RouterEndpoint> out = RouterEndpoint.fromConfig(doc.root());
        doc.throwIfProblems();
        return out;
    }

    RouterCheck.Options options() {
        try {
            return new RouterCheck.Options(window, new Threshold(Optional.of(warningErrorRate), Optional.of(criticalErrorRate)),
                    new Threshold(Optional.ofNullable(warningP99), Optional.ofNullable(criticalP99)), timeout);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), "give a warning threshold at or below the critical one");
        }
    }

    /** Runs a check, turning a user mistake into UNKNOWN: the plugin convention, not the CLI's exit 2. */
    static int print(String service, PrintWriter out, CheckSupplier check) {
        CheckResult r;
        try {
            r = check.get();
        } catch (UserException e) {
            r = CheckResult.unknown(service, e.getMessage().lines().map(String::trim)
                    .reduce((a, b) -> a + " " + b).orElse("") + " (hint: " + e.hint() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r = CheckResult.unknown(service, "interrupted");
        }
        out.println(r.line());
        out.flush();
        return r.status().exitCode();
    }

    /** A check to run. */
    @FunctionalInterface
    interface CheckSupplier {
        CheckResult get() throws InterruptedException;
    }
}
