package dev.hikkoshi.watch.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.core.traffic.TrafficStats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read-only client of a router's admin API for the check plugins: {@code GET /health}, {@code GET /stats?window=}
 * and {@code GET /table}, with the bearer token. Written against the router's documented JSON (router.admin's
 * AdminJson) with plain java.net.http so that watch need not depend on the router module. An unreachable router
 * throws {@link Unreachable} (the check is CRITICAL); an answer that cannot be used throws {@link BadAnswer}
 * (UNKNOWN: the check cannot tell).
 */
public final class RouterAdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The router could not be reached (refused, timed out, reset). */
    public static final class Unreachable extends Exception {
        public Unreachable(String message) {
            super(message);
        }
    }

    /** The router answered, but not with what the check needs (401, 5xx, not the expected JSON). */
    public static final class BadAnswer extends Exception {
        public BadAnswer(String message) {
            super(message);
        }
    }

    /** {@code GET /health}. */
    public record Health(String status, long tableVersion) {
    }

    /** A tenant's placement from {@code GET /table}. */
    public record Placement(String site, boolean frozen) {
    }

    /** {@code GET /table}: version and placements. */
    public record Table(long version, Map<String, Placement> placements) {
    }

    private final HttpClient client;
    private final RouterEndpoint endpoint;
    private final Duration timeout;

    public RouterAdminClient(RouterEndpoint endpoint, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    public Health health() throws Unreachable, BadAnswer, InterruptedException {
        JsonNode n = get("/health");
        if (!n.path("status").isTextual() || !n.path("tableVersion").canConvertToLong()) {
            throw new BadAnswer(endpoint + "/health answered without status and tableVersion: " + shorten(n.toString()));
        }
        return new Health(n.path("status").asText(), n.path("tableVersion").asLong());
    }

    /** Per tenant and site, the traffic of the last {@code window} (keys are {@code tenant@site}). */
    public Map<String, TrafficStats> stats(Duration window) throws Unreachable, BadAnswer, InterruptedException {
        JsonNode n = get("/stats?window=" + window.toSeconds() + "s");
        long[] bounds = new long[n.path("latencyBoundsMillis").size()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = n.path("latencyBoundsMillis").get(i).asLong();
        }
        if (!Arrays.equals(bounds, LatencyHistogram.BOUNDS_MILLIS)) {
            throw new BadAnswer(endpoint + "/stats latencyBoundsMillis " + Arrays.toString(bounds)
                    + " differ from this hikkoshi's " + Arrays.toString(LatencyHistogram.BOUNDS_MILLIS)
                    + " (run the same hikkoshi version on both sides)");
        }
        Map<String, TrafficStats> out = new LinkedHashMap<>();
        for (JsonNode s : n.path("stats")) {
            long[] counts = new long[LatencyHistogram.BOUNDS_MILLIS.length + 1];
            JsonNode latency = s.path("latency");
            String site = s.path("site").asText("");
            if (latency.size() != counts.length || !SiteId.isValid(site)) {
                throw new BadAnswer(endpoint + "/stats has an entry that is not {tenant, site, requests, serverErrors,"
                        + " latency[" + counts.length + "]}: " + shorten(s.toString()));
            }
            for (int i = 0; i < counts.length; i++) {
                counts[i] = latency.get(i).asLong();
            }
            out.merge(s.path("tenant").asText("-") + "@" + site, new TrafficStats(s.path("requests").asLong(),
                    s.path("serverErrors").asLong(), new LatencyHistogram(counts)), TrafficStats::merge);
        }
        return out;
    }

    public Table table() throws Unreachable, BadAnswer, InterruptedException {
        JsonNode n = get("/table");
        if (!n.path("version").canConvertToLong() || !n.path("placements").isObject()) {
            throw new BadAnswer(endpoint + "/table answered without version and placements: " + shorten(n.toString()));
        }
        Map<String, Placement> placements = new LinkedHashMap<>();
        n.path("placements").properties().forEach(e -> placements.put(e.getKey(),
                new Placement(e.getValue().path("site").asText(""), e.getValue().path("frozen").asBoolean(false))));
        return new Table(n.path("version").asLong(), placements);
    }

    private JsonNode get(String path) throws Unreachable, BadAnswer, InterruptedException {
        URI uri = URI.create(endpoint.admin().toString().replaceAll("/+$", "") + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + endpoint.token()).GET().build();
        HttpResponse<String> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Unreachable("router admin " + endpoint + " unreachable: " + describe(e));
        }
        if (r.statusCode() == 401) {
            throw new BadAnswer("router admin " + endpoint + " refused the token (401); check the token variable");
        }
        if (r.statusCode() != 200) {
            throw new BadAnswer("router admin " + endpoint + path + " answered " + r.statusCode() + ": "
                    + shorten(r.body()));
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new BadAnswer("router admin " + endpoint + path + " answered with something that is not JSON: "
                    + shorten(r.body()));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException || e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
