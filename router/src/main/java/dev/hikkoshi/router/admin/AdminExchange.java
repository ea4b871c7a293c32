package dev.hikkoshi.router.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/** One authenticated admin request as {@link AdminApi} sees it, and its answer; built by {@link AdminHandler}. */
final class AdminExchange {
    private AdminExchange() {
    }

    /**
     * @param tokenName the name of the token the client presented, for the audit log
     * @param query     decoded query parameters (the first value of each)
     */
    record Request(String method, String path, Map<String, String> query, String body, String tokenName,
                   String peer) {
    }

    record Response(HttpResponseStatus status, String contentType, String body) {
        static final String JSON = "application/json; charset=utf-8";
        /** The Prometheus text exposition format, version 0.0.4. */
        static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

        static Response json(HttpResponseStatus status, com.fasterxml.jackson.databind.JsonNode body) {
            return new Response(status, JSON, AdminJson.write(body));
        }
    }
}
