package dev.hikkoshi.watch.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Posts a JSON document to a webhook and reads its answer: what the Slack and the generic webhook transports share. */
final class JsonPost {
    private JsonPost() {
    }

    static HttpResponse<String> send(HttpClient client, URI uri, Duration timeout, ObjectNode document)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(document.toString(), StandardCharsets.UTF_8)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * The answer's Retry-After as delay-seconds (RFC 9110 section 10.2.3); absent, or in any other form (an
     * HTTP-date), it counts as one second.
     */
    static long retryAfterSeconds(HttpResponse<?> answer) {
        return answer.headers().firstValue("Retry-After").map(String::trim).filter(v -> v.matches("\\d{1,6}"))
                .map(Long::parseLong).orElse(1L);
    }
}
