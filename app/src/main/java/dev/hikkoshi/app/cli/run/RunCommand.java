package dev.hikkoshi.app.cli.run;

import dev.hikkoshi.app.cli.Termination;
import dev.hikkoshi.app.config.ConfigValidator;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.router.Router;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hikkoshi run -c FILE}: the embedded default, a router and the controller in one process. The
 * controller drives the in-process router; its admin API (the operating commands' endpoint) listens on
 * {@code controller.admin.listen}. A plan applied before a restart resumes by itself. SIGTERM or SIGINT stop the
 * controller (moves stop between steps; the journal keeps where they are), then drain the router.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a router and the controller in one process (the embedded default), until SIGTERM.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ConfigDocument document = ConfigDocument.read(config, System.getenv());
        // Every section and the limits between them, every problem at once, before any listener or database.
        ConfigValidator.validate(document, ConfigValidator.Use.RUN);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Clock clock = Clock.systemUTC();
        try (Router router = Router.start(config, System.getenv());
             ControllerProcess controller = ControllerProcess.start(document, config, List.of(router.control()),
                     List.of(router.traffic()), registry, clock, audit -> LiveWatch.adminEndpoints(document, audit, clock));
             LiveWatch watch = LiveWatch.start(document, controller.steps().streams(), controller.board(),
                     router.traffic(), registry, clock)) {
            CountDownLatch stop = Termination.onSignal();
            out.println("proxy listening on " + router.proxyAddress());
            out.println("router admin API listening on " + router.adminAddress());
            out.println("controller admin API listening on " + controller.adminUrl());
            out.flush();
            stop.await();
            out.println("stopping");
            out.flush();
            router.drain(Instant.now().plus(router.config().shutdownGrace()));
        }
        return 0;
    }
}
