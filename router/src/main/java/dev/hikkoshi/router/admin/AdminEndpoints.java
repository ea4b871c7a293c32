package dev.hikkoshi.router.admin;

import java.util.Optional;

/**
 * What an admin listener serves behind {@link AdminServer}'s bearer-token check. The router's own endpoints
 * are one set; the controller's admin API (module cutover) is another, so both share one server, one token
 * scheme and one wire convention.
 */
public interface AdminEndpoints {
    /** The allowed methods of a known path, such as {@code "GET, PUT"}, or empty for an unknown path (404). */
    Optional<String> allowedMethods(String path);

    /** Answers one authenticated request; runs on an admin worker thread, never on the event loop. */
    AdminExchange.Response handle(AdminExchange.Request request);

    /**
     * Told about a request refused for its token ({@code why}: "no bearer token" or "token not accepted"),
     * on an admin worker thread before the 401 is sent; for an audit trail. The router only logs these.
     */
    default void unauthorized(AdminExchange.Request request, String why) {
    }
}
