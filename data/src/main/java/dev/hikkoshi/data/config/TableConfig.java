package dev.hikkoshi.data.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code data.tables}: its classification (absent when the entry only answers about target
 * triggers, so the default tenant column applies) and whether target triggers may fire.
 */
public record TableConfig(String table, Optional<TableRule> rule, TargetTriggers targetTriggers) {
    public TableConfig {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(targetTriggers, "targetTriggers");
    }
}
