package dev.hikkoshi.router.route;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The outcome of resolving a request: a route, or a refusal with its status and a short body. */
public sealed interface RouteDecision {
    record Routed(Route route) implements RouteDecision {
    }

    /** For example 404 for an unknown tenant when {@code unknown-tenant: reject}, 400 for a Host mismatch. */
    record Rejected(HttpResponseStatus status, String message) implements RouteDecision {
    }
}
