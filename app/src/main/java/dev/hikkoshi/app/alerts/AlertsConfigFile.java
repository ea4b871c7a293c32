package dev.hikkoshi.app.alerts;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import dev.hikkoshi.watch.alert.config.AlertsSection;
import java.nio.file.Path;

/** Reads a config file's common sections and its {@code alerts} section for the {@code alerts} commands. */
final class AlertsConfigFile {
    private AlertsConfigFile() {
    }

    static AlertsConfig read(Path file, AlertsSection.Secrets secrets) {
        ConfigDocument doc = ConfigDocument.read(file);
        CommonConfig common = CommonConfig.bind(doc.root());
        AlertsConfig alerts = AlertsSection.bind(doc.root().get("alerts"), common, secrets);
        doc.throwIfProblems();
        return alerts;
    }
}
