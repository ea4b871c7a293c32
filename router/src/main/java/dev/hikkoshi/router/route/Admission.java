package dev.hikkoshi.router.route;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** What {@link TenantGate} says about a request whose route was decided. */
public sealed interface Admission {
    /** Send it now, to the route given (its site may differ from the one decided, after a move). */
    record Proceed(Route route, InFlightRequest inFlight) implements Admission {
    }

    /**
     * The tenant is frozen: stop reading the request (back-pressure) and wait. The stage completes with
     * {@link Proceed} on release (to the site placed at release time) or with {@link Refuse} on overflow or
     * timeout; it completes on an arbitrary thread.
     */
    record Held(CompletionStage<Admission> outcome) implements Admission {
    }

    /** 503 with Retry-After when a hold overflowed or timed out. */
    record Refuse(HttpResponseStatus status, Duration retryAfter, String message) implements Admission {
    }
}
