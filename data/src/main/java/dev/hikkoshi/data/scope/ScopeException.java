package dev.hikkoshi.data.scope;

import dev.hikkoshi.core.UserException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The tenant scope cannot be used: lists every error found (not only the first), each with its fix, so that
 * the operator fixes them all in one round.
 */
public class ScopeException extends UserException {
    private final List<ScopeProblem> problems;

    public ScopeException(String what, List<ScopeProblem> problems) {
        super(what + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n"
                        + problems.stream().map(p -> "  " + p.describe()).collect(Collectors.joining("\n")),
                "fix each problem above, then run 'hikkoshi data inspect' again (docs/data.md lists every check)");
        this.problems = List.copyOf(problems);
    }

    public List<ScopeProblem> problems() {
        return problems;
    }
}
