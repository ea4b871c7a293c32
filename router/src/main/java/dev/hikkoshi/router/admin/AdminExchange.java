package dev.hikkoshi.router.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * One admin request as the {@link AdminEndpoints} see it, and its answer; built by {@link AdminHandler}. Public
 * so that other modules can serve their own endpoints on an {@link AdminServer}.
 */
public final class AdminExchange {
    private AdminExchange() {
    }

    /**
     * @param tokenName the name of the token the client presented, for the audit log ("-" when refused)
     * @param query     decoded query parameters (the first value of each)
     */
    public record Request(String method, String path, Map<String, String> query, String body, String tokenName,
                   String peer) {
    }

    public record Response(HttpResponseStatus status, String contentType, String body) {
        public static final String JSON = "application/json; charset=utf-8";
        /** The Prometheus text exposition format, version 0.0.4. */
        public static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

        public static Response json(HttpResponseStatus status, com.fasterxml.jackson.databind.JsonNode body) {
            return new Response(status, JSON, AdminJson.write(body));
        }
    }
}
