package dev.hikkoshi.core.config;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key paths read from one {@link ConfigDocument}, normalized ({@code NAME} for map keys, {@code []} for list
 * items). Recording is always on: it costs a set of a few hundred short strings per document, and it is what
 * lets a test prove that docs/config.md lists exactly the keys the binders read.
 */
final class KeyReads {
    private final Set<String> patterns = ConcurrentHashMap.newKeySet();
    /** Real paths of maps whose keys are names chosen by the user (enumerated with {@code entries()}). */
    private final Set<String> nameMaps = ConcurrentHashMap.newKeySet();

    void read(String pattern) {
        patterns.add(pattern);
    }

    /**
     * Marks the map at {@code path} as one of user-chosen names, so that a later {@code get(name)} on it (a
     * binder looking a site up by name after {@code CommonConfig} enumerated them) is recorded as {@code NAME}.
     */
    void nameMap(String path) {
        nameMaps.add(path);
    }

    boolean isNameMap(String path) {
        return nameMaps.contains(path);
    }

    SortedSet<String> patterns() {
        return new TreeSet<>(patterns);
    }
}
