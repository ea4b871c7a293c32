package dev.hikkoshi.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found while binding a config file, so that the user sees all of them at once
 * rather than one per attempt. Binders keep going after a problem, using a default in its place.
 */
public final class ConfigProblems {
    private final List<ConfigProblem> problems = new ArrayList<>();

    /**
     * Records a problem; the same line twice is recorded once (a file is often bound by several commands' binders
     * into one list, such as the common sections by each module, and one mistake must read as one line).
     */
    public void add(String path, String value, String expected) {
        ConfigProblem problem = new ConfigProblem(path, value, expected);
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<ConfigProblem> list() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfAny(Path file) {
        if (!problems.isEmpty()) {
            throw new ConfigException(file, list());
        }
    }
}
