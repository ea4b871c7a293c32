package dev.hikkoshi.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The documented keys of one part of the config file: one table of docs/config.md with its heading and prose.
 * Each module declares its catalogs beside its binders ({@code CommonConfigKeys}, {@code RouterConfigKeys},
 * ...); the app's generator renders them in order, and a test binds a maximal config through every binder and
 * checks that the keys read ({@link ConfigDocument#keysRead}) are exactly the keys declared here.
 *
 * @param title  the heading ({@code router}, {@code sites.NAME.database})
 * @param prefix the path the table's keys are shown relative to ({@code router}; empty for the top level)
 * @param intro  Markdown before the table (may be empty)
 * @param keys   the table's rows, in order
 * @param notes  Markdown after the table (may be empty)
 */
public record ConfigCatalog(String title, String prefix, String intro, List<ConfigKey> keys, String notes) {
    public ConfigCatalog {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(prefix, "prefix");
        intro = intro.strip();
        keys = List.copyOf(keys);
        notes = notes.strip();
        for (ConfigKey k : keys) {
            if (!prefix.isEmpty() && !k.path().startsWith(prefix + ".")) {
                throw new IllegalArgumentException("key " + k.path() + " is not under " + prefix);
            }
        }
    }

    /** Starts a catalog whose keys are given relative to {@code prefix}. */
    public static Builder of(String title, String prefix) {
        return new Builder(title, prefix);
    }

    /**
     * A default as the reference shows it, in backticks: a duration in config spelling ({@code 10s}), an enum
     * constant as files spell it ({@code least-connections}), anything else as its text. Catalogs use it with
     * their binders' constants, so that a changed default changes the reference too.
     */
    public static String literal(Object value) {
        String text = value instanceof java.time.Duration d ? DurationText.format(d)
                : value instanceof Enum<?> e ? ConfigNode.spelling(e) : String.valueOf(value);
        return "`" + text + "`";
    }

    /** A key's path as its table shows it: relative to the catalog's prefix. */
    public String shown(ConfigKey key) {
        return prefix.isEmpty() ? key.path() : key.path().substring(prefix.length() + 1);
    }

    /** Collects a catalog's prose and rows; keys are relative to the prefix. */
    public static final class Builder {
        private final String title;
        private final String prefix;
        private final List<ConfigKey> keys = new ArrayList<>();
        private String intro = "";
        private String notes = "";

        private Builder(String title, String prefix) {
            this.title = title;
            this.prefix = prefix;
        }

        public Builder intro(String markdown) {
            this.intro = markdown;
            return this;
        }

        /** A row: {@code key} relative to the prefix, its default as shown, and its meaning. */
        public Builder key(String key, String defaultValue, String meaning) {
            keys.add(new ConfigKey(prefix.isEmpty() ? key : prefix + "." + key, defaultValue, meaning));
            return this;
        }

        public Builder notes(String markdown) {
            this.notes = markdown;
            return this;
        }

        public ConfigCatalog build() {
            return new ConfigCatalog(title, prefix, intro, keys, notes);
        }
    }
}
