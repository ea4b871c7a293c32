package dev.hikkoshi.app.cli;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.router.Router;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code hikkoshi router -c FILE}: runs one router until it is signalled. Prints the bound addresses; SIGHUP
 * reloads the config (an invalid file is refused and the old config keeps serving); SIGTERM or SIGINT stop
 * accepting, let in-flight requests finish up to {@code router.shutdown-grace}, and exit.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Runs a tenant router: the reverse proxy and its admin API, until SIGTERM.")
public final class RouterCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RouterCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Router router = Router.start(config, System.getenv())) {
            // installed once the router runs: a TERM during start-up keeps the JVM's default (exit at once)
            CountDownLatch stop = Termination.onSignal();
            if (Signal.handle(new Signal("HUP"), s -> reload(router, out, err)) == SignalHandler.SIG_IGN) {
                // the JVM keeps a signal ignored if it was ignored when it started (nohup does that)
                err.println("warning: SIGHUP is ignored in this process (started under nohup?), so it will not"
                        + " reload the config; use the admin API's POST /reload, or start the router without nohup");
                err.flush();
            }
            out.println("proxy listening on " + text(router.proxyAddress()));
            out.println("admin API listening on " + text(router.adminAddress()));
            out.flush();
            stop.await();
            out.println("stopping: finishing in-flight requests (up to "
                    + router.config().shutdownGrace().toSeconds() + "s)");
            out.flush();
            boolean drained = router.drain(Instant.now().plus(router.config().shutdownGrace()));
            out.println(drained ? "stopped" : "stopped with requests still in flight after the shutdown grace");
            out.flush();
        }
        return 0;
    }

    private static void reload(Router router, PrintWriter out, PrintWriter err) {
        try {
            out.println("reloaded: " + router.reload());
            out.flush();
        } catch (UserException e) {
            log.warn("reload refused, the old config keeps serving: {}", e.getMessage());
            err.println("reload refused, the old config keeps serving: " + e.getMessage());
            err.flush();
        } catch (RuntimeException e) {
            log.error("reload failed, the old config keeps serving", e);
            err.println("reload failed, the old config keeps serving: " + e);
            err.flush();
        }
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
