package dev.hikkoshi.watch.testing;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.config.AlertsSection;
import java.nio.file.Path;
import java.util.Map;

/** Binds test configs through the real binder, so that tests exercise the config format too. */
public final class AlertsConfigs {
    public static final String COMMON = """
            environment: production
            sites: { legacy: {}, cloud: {} }
            tenants: { list: [ { name: acme, id: 1 } ] }
            state-dir: %s
            """;

    private AlertsConfigs() {
    }

    /** {@code alertsYaml} is the text under {@code alerts:}, indented by two spaces. */
    public static AlertsConfig bind(Path stateDir, String alertsYaml, Map<String, String> env) {
        ConfigDocument doc = ConfigDocument.parse(Path.of("test.yaml"),
                COMMON.formatted(stateDir) + "alerts:\n" + alertsYaml, env);
        CommonConfig common = CommonConfig.bind(doc.root());
        AlertsConfig c = AlertsSection.bind(doc.root().get("alerts"), common, AlertsSection.Secrets.RESOLVE);
        doc.throwIfProblems();
        return c;
    }
}
