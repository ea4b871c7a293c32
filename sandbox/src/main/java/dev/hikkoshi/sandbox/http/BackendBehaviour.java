package dev.hikkoshi.sandbox.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link RecordingBackend} answers one request, chosen by the request itself so that tests and the demo
 * can drive a backend through a proxy without talking to it directly. Each option is a query parameter, or
 * the header {@code X-Sandbox-<Name>} (the query wins when both are given):
 * <ul>
 *   <li>{@code delay-ms=N} — hold the request N ms after it was read before answering (a long poll);</li>
 *   <li>{@code gate=NAME} — hold the request until the test calls {@link RecordingBackend#openGate(String)};</li>
 *   <li>{@code pause-read-ms=N} — stop reading the request body for N ms after the head arrived;</li>
 *   <li>{@code status=N} — answer with status N (200 to 599; no body for 204, 304 and HEAD);</li>
 *   <li>{@code stream-bytes=N}, {@code chunk-bytes=N} (default 8192), {@code chunk-delay-ms=N} — answer with a
 *       chunked body of N bytes, written chunk by chunk with back-pressure and an optional pause between
 *       chunks;</li>
 *   <li>{@code sse=N}, {@code sse-interval-ms=N} (default 100) — server-sent events: N events, or until the
 *       client goes away when N is 0;</li>
 *   <li>{@code echo-headers=true} — the JSON body lists every request header.</li>
 * </ul>
 */
record BackendBehaviour(Duration delay, Optional<String> gate, Duration pauseRead, int status, long streamBytes,
                        int chunkBytes, Duration chunkDelay, int sseEvents, Duration sseInterval,
                        boolean echoHeaders) {
    /** {@link #sseEvents} when the request did not ask for server-sent events. */
    static final int NO_SSE = -1;

    boolean streams() {
        return streamBytes > 0;
    }

    boolean sse() {
        return sseEvents != NO_SSE;
    }

    /** Reads the behaviour from a request; a bad value is an {@link IllegalArgumentException} naming it. */
    static BackendBehaviour of(HttpRequest request) {
        Options o = new Options(request);
        int status = (int) o.number("status", 200, 200, 599);
        long streamBytes = o.number("stream-bytes", 0, 0, Long.MAX_VALUE);
        int sse = (int) o.number("sse", NO_SSE, 0, Integer.MAX_VALUE);
        if (streamBytes > 0 && sse != NO_SSE) {
            throw new IllegalArgumentException("stream-bytes and sse cannot be combined");
        }
        return new BackendBehaviour(
                Duration.ofMillis(o.number("delay-ms", 0, 0, 600_000)),
                o.text("gate"),
                Duration.ofMillis(o.number("pause-read-ms", 0, 0, 600_000)),
                status,
                streamBytes,
                (int) o.number("chunk-bytes", 8192, 1, 1 << 20),
                Duration.ofMillis(o.number("chunk-delay-ms", 0, 0, 60_000)),
                sse,
                Duration.ofMillis(o.number("sse-interval-ms", 100, 1, 60_000)),
                o.text("echo-headers").map(v -> v.equals("true") || v.equals("1")).orElse(false));
    }

    /** Looks an option up in the query string, then in the {@code X-Sandbox-*} headers. */
    private static final class Options {
        private final QueryStringDecoder query;
        private final HttpRequest request;

        Options(HttpRequest request) {
            this.query = new QueryStringDecoder(request.uri());
            this.request = request;
        }

        Optional<String> text(String name) {
            List<String> values = query.parameters().get(name);
            if (values != null && !values.isEmpty()) {
                return Optional.of(values.get(0));
            }
            return Optional.ofNullable(request.headers().get("X-Sandbox-" + name));
        }

        long number(String name, long absent, long min, long max) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return absent;
            }
            try {
                long n = Long.parseLong(value.get().trim());
                if (n < min || n > max) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": " + value.get() + " (expected: a whole number from "
                        + min + " to " + max + ")");
            }
        }
    }
}
