package dev.hikkoshi.app.cli.run;

import dev.hikkoshi.app.cli.Termination;
import dev.hikkoshi.app.config.ConfigValidator;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.router.admin.HttpRouterControl;
import dev.hikkoshi.router.admin.HttpTrafficWindow;
import dev.hikkoshi.watch.check.RouterEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hikkoshi controller -c FILE}: the controller alone, driving the routers of {@code controller.routers}
 * over their admin APIs (the whole routing table pushed with its version; a router that cannot confirm a freeze
 * aborts the move). The operating commands talk to its admin API. Runs until SIGTERM or SIGINT.
 */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Runs the controller: plans, moves, the rollback line; drives the routers of controller.routers.")
public final class ControllerCommand implements Callable<Integer> {
    private static final Duration ROUTER_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ConfigDocument document = ConfigDocument.read(config, System.getenv());
        // Every section the controller reads and the router limits the plan depends on, every problem at once.
        ConfigValidator.validate(document, ConfigValidator.Use.CONTROLLER);
        List<RouterEndpoint> endpoints = RouterEndpoint.fromConfig(document.root());
        document.throwIfProblems();
        List<RouterControl> routers = new ArrayList<>();
        List<TrafficWindow> traffic = new ArrayList<>();
        for (RouterEndpoint e : endpoints) {
            routers.add(new HttpRouterControl(e.admin(), e.token(), ROUTER_TIMEOUT));
            traffic.add(new HttpTrafficWindow(e.admin(), e.token(), ROUTER_TIMEOUT));
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Clock clock = Clock.systemUTC();
        try (ControllerProcess controller = ControllerProcess.start(document, config, routers, traffic, registry, clock,
                audit -> LiveWatch.adminEndpoints(document, audit, clock));
             LiveWatch watch = LiveWatch.start(document, controller.steps().streams(), controller.board(),
                     length -> TrafficWindow.merge(traffic.stream().map(t -> t.window(length)).toList()), registry,
                     clock)) {
            CountDownLatch stop = Termination.onSignal();
            out.println("controller admin API listening on " + controller.adminUrl() + ", driving " + routers.size()
                    + (routers.size() == 1 ? " router" : " routers"));
            out.flush();
            stop.await();
            out.println("stopping");
            out.flush();
        }
        return 0;
    }
}
