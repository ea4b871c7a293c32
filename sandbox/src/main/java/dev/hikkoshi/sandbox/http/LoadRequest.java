package dev.hikkoshi.sandbox.http;

import java.util.Objects;
import java.util.Optional;

/**
 * One request a {@link Workload} wants a {@link LoadGenerator} client to send, and what to tell the workload
 * when it is answered or fails. The tenant part of the request (Host header, path prefix or header) is added
 * by the generator's {@link TenantAddressing}.
 *
 * @param method     an HTTP method such as {@code GET} or {@code POST}
 * @param path       the path and query after the tenant part, such as {@code /orders/17}
 * @param jsonBody   a JSON body sent as {@code application/json}, empty for none
 * @param completion called once, on the run's event loop, with the outcome
 */
public record LoadRequest(String method, String path, Optional<String> jsonBody, Completion completion) {
    /** A completion that does nothing (the {@link LoadRun}'s response log is enough). */
    public static final Completion IGNORE = (response, body) -> {
    };

    public LoadRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(jsonBody, "jsonBody");
        Objects.requireNonNull(completion, "completion");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was " + path);
        }
    }

    public static LoadRequest get(String path, Completion completion) {
        return new LoadRequest("GET", path, Optional.empty(), completion);
    }

    /** What a workload learns about one of its requests. */
    @FunctionalInterface
    public interface Completion {
        /**
         * @param response the logged response ({@link LoadResponse#failed()} when none came)
         * @param body     the response body as UTF-8 text, empty when none came
         */
        void completed(LoadResponse response, String body);
    }
}
