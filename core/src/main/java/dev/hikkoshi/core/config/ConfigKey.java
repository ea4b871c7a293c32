package dev.hikkoshi.core.config;

import java.util.Objects;

/**
 * One key of the config file as docs/config.md documents it. Declared in each section's {@link ConfigCatalog},
 * beside the binder that reads the key; the reference is generated from these records.
 *
 * @param path         the full path, with {@code NAME} for a map key the user chooses and {@code []} for a list
 *                     item: {@code sites.NAME.database.url}, {@code plan.waves[].tenants}
 * @param defaultValue the default as the reference shows it (Markdown): {@code `10s`}, {@code required},
 *                     {@code none}, or empty when a default says nothing
 * @param meaning      what the key does (Markdown, one table cell: no line breaks, no unescaped {@code |})
 */
public record ConfigKey(String path, String defaultValue, String meaning) {
    public ConfigKey {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(meaning, "meaning");
        if (path.isBlank() || path.startsWith(".") || path.endsWith(".")) {
            throw new IllegalArgumentException("not a key path: '" + path + "'");
        }
        for (String cell : new String[] {defaultValue, meaning}) {
            if (cell.contains("\n") || cell.replace("\\|", "").contains("|")) {
                throw new IllegalArgumentException("a table cell of " + path + " has a line break or an unescaped |");
            }
        }
    }
}
