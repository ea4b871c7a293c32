package dev.hikkoshi.data.config;

import dev.hikkoshi.core.config.ConfigNode;

/**
 * {@code data.copy}: how bulk copy runs (chunk sizes, parallelism, throttling). The copy engine owns these
 * keys and adds them here; until then the section accepts no keys, so a typo is never silently ignored.
 */
public record CopyConfig() {
    /** Every key {@code data.copy} accepts. */
    static final String[] KEYS = {};

    public static CopyConfig defaults() {
        return new CopyConfig();
    }

    static CopyConfig bind(ConfigNode node) {
        if (!node.isPresent()) {
            return defaults();
        }
        if (!node.isMap()) {
            node.problem("a map of copy settings");
            return defaults();
        }
        if (KEYS.length == 0) {
            node.entries().forEach((key, value) -> value.problem("unknown key", "no keys: data.copy has no settings yet"));
        } else {
            node.allowOnly(KEYS);
        }
        return defaults();
    }
}
