package dev.hikkoshi.watch.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.watch.alert.message.Message;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Posts a message to a Slack incoming webhook as Block Kit and reads Slack's answer
 * (https://api.slack.com/messaging/webhooks#handling_errors): {@code ok} is delivered; 429 waits for its
 * Retry-After; the answers that mean the webhook itself is wrong (revoked token, deleted or archived channel,
 * disabled app) are configuration errors; other 4xx reject this message; 5xx and network errors are retried.
 *
 * <p>Limits kept (https://api.slack.com/reference/block-kit/blocks): at most {@link #MAX_BLOCKS} blocks, a header of
 * at most 150 characters, section texts of at most {@link #MAX_SECTION_CHARS} characters, and at most
 * {@link #MAX_TOTAL_CHARS} characters of text in all, well under the 40,000 Slack accepts.
 */
final class SlackTransport implements Transport {
    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION_CHARS = 3000;
    static final int MAX_TOTAL_CHARS = 12_000;
    static final int MAX_HEADER_CHARS = 150;
    /** Answers meaning the webhook is unusable until someone fixes the configuration. */
    static final Set<String> CONFIGURATION_ERRORS = Set.of("invalid_token", "channel_not_found", "channel_is_archived",
            "no_service", "no_service_id", "no_team", "team_disabled", "action_prohibited", "no_active_hooks",
            "invalid_team", "posting_to_general_channel_denied", "team_not_found", "user_not_found");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI webhook;
    private final Duration timeout;

    SlackTransport(HttpClient client, URI webhook, Duration timeout) {
        this.client = client;
        this.webhook = webhook;
        this.timeout = timeout;
    }

    @Override
    public String channel() {
        return "slack";
    }

    @Override
    public Outcome attempt(Message m) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = JsonPost.send(client, webhook, timeout, payload(m));
        } catch (IOException e) {
            return new Outcome.Transient("cannot reach Slack at " + webhook.getHost() + ": " + e);
        }
        String body = r.body().trim();
        if (r.statusCode() == 200) {
            return new Outcome.Delivered();
        }
        if (r.statusCode() == 429) {
            long seconds = JsonPost.retryAfterSeconds(r);
            return new Outcome.RetryAfter(Duration.ofSeconds(seconds), "429 rate limited, Retry-After " + seconds + "s");
        }
        if (CONFIGURATION_ERRORS.contains(body)) {
            return new Outcome.Misconfigured("Slack answered " + r.statusCode() + " " + body
                    + ": the webhook URL in the receiver's slack-webhook-env is revoked or points to a channel or app"
                    + " that no longer accepts it; create a new incoming webhook and update the variable");
        }
        if (r.statusCode() >= 500) {
            return new Outcome.Transient("Slack answered " + r.statusCode() + " " + shorten(body));
        }
        return new Outcome.Rejected("Slack answered " + r.statusCode() + " " + shorten(body));
    }

    /** The Block Kit document: a header, the lines packed into sections, and the title as notification text. */
    static ObjectNode payload(Message m) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", cut(m.title(), MAX_SECTION_CHARS));
        ArrayNode blocks = root.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", cut(m.title(), MAX_HEADER_CHARS));
        List<String> sections = sections(m.lines());
        sections.forEach(s -> blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", s));
        return root;
    }

    /** Packs escaped lines into sections, within the block, section and total limits. */
    static List<String> sections(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int total = 0;
        int room = MAX_BLOCKS - 1;
        for (int i = 0; i < lines.size(); i++) {
            String line = cut(escape(lines.get(i)), MAX_SECTION_CHARS);
            boolean fitsSection = current.length() + 1 + line.length() <= MAX_SECTION_CHARS;
            boolean fitsTotal = total + line.length() + 1 <= MAX_TOTAL_CHARS - 100;
            boolean needsBlock = !fitsSection && current.length() > 0;
            if (!fitsTotal || (needsBlock && out.size() + 2 > room)) {
                String more = "… and " + (lines.size() - i) + " more lines (hikkoshi alerts replay shows them all)";
                if (current.length() + 1 + more.length() > MAX_SECTION_CHARS) {
                    out.add(current.toString());
                    current.setLength(0);
                }
                current.append(current.length() == 0 ? "" : "\n").append(more);
                break;
            }
            if (needsBlock) {
                out.add(current.toString());
                current.setLength(0);
            }
            current.append(current.length() == 0 ? "" : "\n").append(line);
            total += line.length() + 1;
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    /** Slack's mrkdwn treats &, < and > as control characters. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String shorten(String body) {
        return body.length() <= 200 ? body : body.substring(0, 197) + "...";
    }
}
