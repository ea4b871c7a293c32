package dev.hikkoshi.core.config;

import dev.hikkoshi.core.UserException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A config file that cannot be used; the message lists every problem, one {@code path: value (expected)} a line. */
public class ConfigException extends UserException {
    private final List<ConfigProblem> problems;

    public ConfigException(Path file, List<ConfigProblem> problems) {
        super("config " + file + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n"
                        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")),
                "fix the values named above (docs/config.md describes every key) and try again");
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
