package dev.hikkoshi.cutover.routing;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Routers that did not confirm what the controller asked (a push, a freeze, a release): each named with its
 * problem. Thrown by {@link RouterFleet}; a move step lets it through so that the runner aborts (before the
 * switch) or fails the move (after it).
 */
public class RouterFleetException extends RuntimeException {
    private final Map<String, String> problems;

    public RouterFleetException(String what, int routers, Map<String, String> problems, Throwable first) {
        super(what + " not confirmed by " + problems.size() + " of " + routers + " router(s): "
                + problems.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; ")), first);
        this.problems = Map.copyOf(problems);
    }

    /** The routers that did not confirm, by name, with what went wrong. */
    public Map<String, String> problems() {
        return problems;
    }

    public List<String> routers() {
        return problems.keySet().stream().sorted().toList();
    }
}
