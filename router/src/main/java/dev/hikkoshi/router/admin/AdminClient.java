package dev.hikkoshi.router.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hikkoshi.core.UserException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends requests with the bearer token to one router's admin API and turns every failure into an exception
 * naming the router's URL. Shared by {@link HttpRouterControl} and {@link HttpTrafficWindow}.
 */
final class AdminClient {
    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    AdminClient(URI base, String token, Duration timeout) {
        Objects.requireNonNull(base, "base");
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new UserException("router admin URL " + base + " is not an http://host:port URL",
                    "write the router's admin address as http://HOST:PORT, such as http://10.0.2.11:8081");
        }
        if (token == null || token.isBlank()) {
            throw new UserException("no admin token for router " + base,
                    "set the environment variable named by the router's token-env to one of its router.admin.tokens");
        }
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = token;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    URI base() {
        return base;
    }

    Duration timeout() {
        return timeout;
    }

    /** Reads one kind of answer document; throws naming the field that is not what it should be. */
    @FunctionalInterface
    interface AnswerReader<T> {
        T read(JsonNode answer) throws AdminJson.BadDocumentException;
    }

    /**
     * GETs {@code pathAndQuery} (200 expected) and reads the answer; one that {@code reader} cannot read is an
     * {@link AdminApiException} naming the router, the request and {@code what} was expected ("a table").
     */
    <T> T get(String pathAndQuery, String what, AnswerReader<T> reader) {
        return read(send("GET", pathAndQuery, null, timeout, 200), "GET " + pathAndQuery, what, reader);
    }

    /** Reads {@code answer} of {@code request} as {@link #get} does. */
    <T> T read(JsonNode answer, String request, String what, AnswerReader<T> reader) {
        try {
            return reader.read(answer);
        } catch (AdminJson.BadDocumentException e) {
            throw new AdminApiException("router admin " + base + " " + request + " answered " + what
                    + " we cannot read: " + e.getMessage(), 200, e);
        }
    }

    /** The answer's JSON when its status is one of {@code accepted}; otherwise a failure naming the router. */
    JsonNode send(String method, String pathAndQuery, String jsonBody, Duration waitFor, int... accepted) {
        HttpResponse<String> response = exchange(method, pathAndQuery, jsonBody, waitFor);
        int status = response.statusCode();
        for (int ok : accepted) {
            if (status == ok) {
                return AdminJson.parse(response.body(), "the answer of " + base + " to " + method + " " + pathAndQuery);
            }
        }
        String what = base + " " + method + " " + pathAndQuery;
        String detail = errorText(response.body());
        if (status == 401 || status == 403) {
            throw new UserException("router admin " + what + " refused our token (" + status + ": " + detail + ")",
                    "give the controller a token listed in that router's router.admin.tokens");
        }
        throw new AdminApiException("router admin " + what + " answered " + status + ": " + detail, status, null);
    }

    private HttpResponse<String> exchange(String method, String pathAndQuery, String jsonBody, Duration waitFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(waitFor)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (jsonBody != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String what = "router admin " + base + " " + method + " " + pathAndQuery;
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new AdminApiException(what + " did not answer within " + waitFor.toMillis() + " ms", 0, e);
        } catch (ConnectException e) {
            throw new AdminApiException(what + " failed: cannot connect"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), 0, e);
        } catch (IOException e) {
            throw new AdminApiException(what + " failed: " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminApiException(what + " was interrupted", 0, e);
        }
    }

    private static String errorText(String body) {
        try {
            JsonNode n = AdminJson.MAPPER.readTree(body);
            if (n != null && n.path("error").isTextual()) {
                return n.path("error").asText();
            }
        } catch (IOException e) {
            // not JSON: show the text itself
        }
        String s = body == null ? "" : body.strip();
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }
}
