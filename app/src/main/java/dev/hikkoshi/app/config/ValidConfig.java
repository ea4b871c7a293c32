package dev.hikkoshi.app.config;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.cutover.control.PlanSection;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.router.config.RouterConfig;
import dev.hikkoshi.watch.alert.config.AlertsConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A config file that passed {@link ConfigValidator}: the sections it bound (empty where absent, or not bound
 * for the process it was validated for) and notes on what only a later step can check, such as wave tenants
 * read from a table at plan time.
 */
public record ValidConfig(CommonConfig common, Optional<RouterConfig> router, Optional<DataConfig> data,
                          Optional<PlanSection> plan, Optional<AlertsConfig> alerts, List<String> notes) {
    public ValidConfig {
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(alerts, "alerts");
        notes = List.copyOf(notes);
    }
}
