package dev.hikkoshi.app.check;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local server on 127.0.0.1 that answers like the router's admin API (GET /health, /stats, /table with a bearer
 * token, the JSON of router.admin.AdminJson), with canned documents the test sets.
 */
final class FakeRouterAdmin implements AutoCloseable {
    static final String TOKEN = "s3cret-admin-token";
    private final HttpServer server;
    final Map<String, String> documents = new ConcurrentHashMap<>();

    FakeRouterAdmin() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String path = ex.getRequestURI().getPath();
            String body;
            int status;
            if (!("Bearer " + TOKEN).equals(auth)) {
                status = 401;
                body = "{\"error\":\"missing bearer token (expected: Authorization: Bearer <token>)\"}";
            } else if (documents.containsKey(path)) {
                status = 200;
                body = documents.get(path);
            } else {
                status = 404;
                body = "{\"error\":\"no such admin endpoint: " + path + "\"}";
            }
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        table(7, "{\"acme\":{\"site\":\"cloud\",\"frozen\":false},\"globex\":{\"site\":\"legacy\",\"frozen\":true}}");
        documents.put("/health", "{\"status\":\"ok\",\"tableVersion\":7}");
        stats(1000, 3, 2);
    }

    void table(long version, String placements) {
        documents.put("/table", "{\"version\":" + version + ",\"placements\":" + placements + "}");
    }

    /** acme on cloud with {@code requests} requests, {@code errors} 5xx; globex on legacy with 100 and 0. */
    void stats(long requests, long errors, int slowBucket) {
        long[] latency = new long[14];
        latency[3] = requests - requests / 50;
        latency[slowBucket] += requests / 50;
        StringBuilder l = new StringBuilder();
        for (long c : latency) {
            l.append(l.length() == 0 ? "" : ",").append(c);
        }
        documents.put("/stats", "{\"from\":\"2026-11-29T06:00:00Z\",\"to\":\"2026-11-29T06:01:00Z\","
                + "\"latencyBoundsMillis\":[1,2,5,10,25,50,100,250,500,1000,2500,5000,10000],\"stats\":["
                + "{\"tenant\":\"acme\",\"site\":\"cloud\",\"requests\":" + requests + ",\"serverErrors\":" + errors
                + ",\"latency\":[" + l + "]},"
                + "{\"tenant\":\"globex\",\"site\":\"legacy\",\"requests\":100,\"serverErrors\":0,"
                + "\"latency\":[0,0,0,100,0,0,0,0,0,0,0,0,0,0]}]}");
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
