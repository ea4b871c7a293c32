package dev.hikkoshi.watch.alert.config;

import dev.hikkoshi.watch.alert.flap.FlapSettings;
import dev.hikkoshi.watch.alert.inhibit.InhibitRule;
import dev.hikkoshi.watch.alert.route.Receiver;
import dev.hikkoshi.watch.alert.route.Route;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code alerts} section, bound and validated by {@link AlertsSection}: receivers by name, routes in order,
 * inhibition rules, flapping settings and the silence file. {@code environment} is the config's environment,
 * given to events that do not name one.
 */
public record AlertsConfig(String environment, Map<String, Receiver> receivers, List<Route> routes,
                           List<InhibitRule> inhibitRules, FlapSettings flapping, Path silencesFile, Path auditFile) {
    public AlertsConfig {
        receivers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(receivers));
        routes = List.copyOf(routes);
        inhibitRules = List.copyOf(inhibitRules);
    }
}
