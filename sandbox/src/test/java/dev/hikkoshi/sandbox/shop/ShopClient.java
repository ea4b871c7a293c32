package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.sandbox.http.RecordingBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** The shop's tests' direct client: one request to one site's app, with the tenant header the router would set. */
final class ShopClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ShopClient() {
    }

    static HttpResponse<String> send(ShopApp app, String tenant, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.uri() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
        if (tenant != null) {
            request.header(RecordingBackend.TENANT_HEADER, tenant);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), BodyHandlers.ofString());
    }

    static String servedBy(HttpResponse<?> response) {
        return response.headers().firstValue(RecordingBackend.SERVED_BY_HEADER).orElse("(none)");
    }
}
