package dev.hikkoshi.watch.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.watch.alert.message.Message;
import dev.hikkoshi.watch.alert.message.MessageText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Posts a message as one JSON object to a generic webhook:
 * {@code {"receiver","time","kind","group","title","lines":[...],"events","text"}}. 2xx is delivered; 429 honours
 * Retry-After; 401, 403, 404 and 410 mean the URL is wrong (configuration); other 4xx reject the message; 5xx and
 * network errors are retried.
 */
final class WebhookTransport implements Transport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI url;
    private final Duration timeout;

    WebhookTransport(HttpClient client, URI url, Duration timeout) {
        this.client = client;
        this.url = url;
        this.timeout = timeout;
    }

    @Override
    public String channel() {
        return "webhook";
    }

    static ObjectNode payload(Message m) {
        ObjectNode n = JSON.createObjectNode().put("receiver", m.receiver()).put("time", m.time().toString())
                .put("kind", m.kind().name().toLowerCase(Locale.ROOT)).put("group", m.group()).put("title", m.title());
        var lines = n.putArray("lines");
        m.lines().forEach(lines::add);
        return n.put("events", m.events()).put("text", MessageText.body(m));
    }

    @Override
    public Outcome attempt(Message m) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = JsonPost.send(client, url, timeout, payload(m));
        } catch (IOException e) {
            return new Outcome.Transient("cannot reach " + url.getHost() + ":" + url.getPort() + ": " + e);
        }
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            return new Outcome.Delivered();
        }
        if (s == 429) {
            long seconds = JsonPost.retryAfterSeconds(r);
            return new Outcome.RetryAfter(Duration.ofSeconds(seconds), "429 rate limited, Retry-After " + seconds + "s");
        }
        if (s == 401 || s == 403 || s == 404 || s == 410) {
            return new Outcome.Misconfigured("the webhook answered " + s + ": check the URL in the receiver's"
                    + " webhook-url-env and its credentials");
        }
        return s >= 500 ? new Outcome.Transient("the webhook answered " + s) : new Outcome.Rejected("the webhook answered " + s);
    }
}
