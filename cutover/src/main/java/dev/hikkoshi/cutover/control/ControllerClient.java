package dev.hikkoshi.cutover.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.TenantId;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link ControllerOperations} over the controller's admin API: what the operating commands ({@code hikkoshi
 * status}, {@code rollback}, ...) use, so that they work the same against {@code hikkoshi run} and a separate
 * controller. The controller names the actor from the token presented, not from the {@link Actor} argument,
 * which is only a local label. Every failure is one line naming the controller's URL: an unreachable
 * controller, a refused token and the controller's own refusals (its error and hint, verbatim) are
 * {@link UserException}s; an answer this client cannot read is a {@link ControllerApiException}.
 */
public final class ControllerClient implements ControllerOperations {
    private final URI base;
    private final String token;
    private final String tokenSource;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base        the controller's admin listener, {@code http://host:port}
     * @param token       a secret of the controller's {@code controller.admin.tokens}
     * @param tokenSource where the token came from (its environment variable), named when it is refused
     * @param timeout     how long to wait for a connection and for each answer
     */
    public ControllerClient(URI base, String token, String tokenSource, Duration timeout) {
        Objects.requireNonNull(base, "base");
        if (!"http".equals(base.getScheme()) || base.getHost() == null || base.getPort() < 0) {
            throw new UserException("controller admin URL " + base + " is not an http://host:port URL",
                    "write the controller's admin address as http://HOST:PORT, such as http://127.0.0.1:8090");
        }
        if (token == null || token.isBlank()) {
            throw new UserException("no admin token for the controller at " + base,
                    "set " + tokenSource + " to one of the controller's controller.admin.tokens");
        }
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = token;
        this.tokenSource = Objects.requireNonNull(tokenSource, "tokenSource");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public URI base() {
        return base;
    }

    @Override
    public ControllerStatus status() {
        JsonNode answer = send("GET", "/status", null);
        try {
            return ControllerJson.status(answer);
        } catch (ControllerJson.BadDocumentException e) {
            throw new ControllerApiException("the controller at " + base + " answered GET /status with a status "
                    + "this hikkoshi cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void apply(Actor actor) {
        send("POST", "/apply", null);
    }

    @Override
    public void adopt(Actor actor, dev.hikkoshi.cutover.plan.Plan plan) {
        com.fasterxml.jackson.databind.node.ObjectNode body = ControllerJson.MAPPER.createObjectNode();
        body.set("plan", dev.hikkoshi.cutover.plan.PlanDocument.toJson(plan));
        send("POST", "/apply", ControllerJson.write(body));
    }

    @Override
    public void resumePlan(Actor actor) {
        send("POST", "/apply", ControllerJson.write(ControllerJson.MAPPER.createObjectNode().put("resume", true)));
    }

    @Override
    public void pause(Actor actor, String reason) {
        send("POST", "/pause", ControllerJson.write(ControllerJson.MAPPER.createObjectNode()
                .put("reason", reason == null ? "" : reason)));
    }

    @Override
    public void resume(Actor actor) {
        send("POST", "/resume", null);
    }

    @Override
    public void rollback(Actor actor, TenantId tenant) {
        send("POST", "/rollback/" + segment(tenant.value()), null);
    }

    @Override
    public void finalizeMove(Actor actor, TenantId tenant) {
        send("POST", "/finalize/" + segment(tenant.value()), null);
    }

    @Override
    public void approve(Actor actor, String wave) {
        send("POST", "/approve/" + segment(wave), null);
    }

    private JsonNode send(String method, String path, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = exchange(b.build());
        int status = response.statusCode();
        JsonNode body = readBody(response.body());
        if (status == 200) {
            if (body == null) {
                throw new ControllerApiException("the controller at " + base + " answered " + method + " " + path
                        + " with something that is not JSON: " + shorten(response.body()), null);
            }
            return body;
        }
        String error = body != null && body.path("error").isTextual() ? body.path("error").asText()
                : shorten(response.body());
        if (status == 401 || status == 403) {
            throw new UserException("the controller at " + base + " refused the token in " + tokenSource + ": "
                    + error, "set " + tokenSource + " to the secret of one of the controller's "
                    + "controller.admin.tokens, or pass --token-env with the variable that holds yours");
        }
        if (status >= 400 && status < 500 && body != null && body.path("hint").isTextual()) {
            throw new UserException(error, body.path("hint").asText());
        }
        throw new ControllerApiException("the controller at " + base + " answered " + method + " " + path + " with "
                + status + ": " + error, null);
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new UserException("cannot reach the controller at " + base + ": no answer to the connection within "
                    + timeout.toMillis() + " ms", hintUnreachable(), e);
        } catch (HttpTimeoutException e) {
            throw new UserException("the controller at " + base + " did not answer " + request.method() + " "
                    + request.uri().getPath() + " within " + timeout.toMillis() + " ms",
                    "the controller may be busy or stuck; its log says why", e);
        } catch (ConnectException e) {
            throw new UserException("cannot reach the controller at " + base + ": connection refused",
                    hintUnreachable(), e);
        } catch (IOException e) {
            throw new UserException("cannot reach the controller at " + base + ": " + e, hintUnreachable(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControllerApiException("the request to the controller at " + base + " was interrupted", e);
        }
    }

    private static String hintUnreachable() {
        return "start it (hikkoshi controller -c FILE, or hikkoshi run -c FILE), or point at it with "
                + "controller.admin.listen in the config or --controller URL";
    }

    /** A path segment: percent-encoded, with spaces as %20 (URLEncoder's '+' means '+' in a path). */
    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode readBody(String body) {
        try {
            JsonNode n = ControllerJson.MAPPER.readTree(body);
            return n == null || n.isMissingNode() ? null : n;
        } catch (IOException e) {
            return null;
        }
    }

    private static String shorten(String body) {
        String s = body == null ? "" : body.strip().replace('\n', ' ');
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }

    @Override
    public String toString() {
        return "ControllerClient[" + base + "]";
    }
}
