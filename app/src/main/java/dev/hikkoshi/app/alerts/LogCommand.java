package dev.hikkoshi.app.alerts;

import dev.hikkoshi.app.check.DurationConverter;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.watch.alert.audit.AuditLog;
import dev.hikkoshi.watch.alert.audit.Suppression;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.config.AlertsSection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hikkoshi alerts log}: lists the suppressions the live pipeline recorded, with their reasons. */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = "Lists every suppression (grouped, inhibited, silenced, over budget, out of scope...) with its reason.")
public final class LogCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path config;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "only the last DURATION")
    Duration since;

    @Option(names = "--reason", paramLabel = "REASON", description = "only this reason, such as silenced or over-budget")
    String reason;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        AlertsConfig alerts = AlertsConfigFile.read(config, AlertsSection.Secrets.NAMES_ONLY);
        List<Suppression> all = AuditLog.read(alerts.auditFile());
        Instant from = since == null ? Instant.MIN : Instant.now().minus(since);
        PrintWriter out = spec.commandLine().getOut();
        long shown = all.stream().filter(s -> !s.time().isBefore(from))
                .filter(s -> reason == null || ConfigNode.spelling(s.reason()).equals(reason))
                .peek(s -> out.println(s)).count();
        if (shown == 0) {
            out.println("no suppressions recorded" + (all.isEmpty() ? " in " + alerts.auditFile() : " that match"));
        }
        out.flush();
        return 0;
    }
}
