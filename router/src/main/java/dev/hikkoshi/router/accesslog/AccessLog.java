package dev.hikkoshi.router.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hikkoshi.router.route.ExchangeObserver;
import dev.hikkoshi.router.route.ExchangeRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON object per exchange on the SLF4J logger {@value #LOGGER} at INFO, fields in a fixed order
 * (the schema is documented in docs/router.md and pinned by AccessLogTest): {@code time} (ISO-8601 UTC, ms),
 * {@code request_id}, {@code tenant}, {@code site}, {@code upstream}, {@code method}, {@code path} (no query),
 * {@code status}, {@code bytes_in}, {@code bytes_out}, {@code duration_ms}, {@code upstream_ms},
 * {@code held_ms}. The proxy installs it when {@code accessLog} is on; logback routes the logger to a file.
 */
public final class AccessLog implements ExchangeObserver {
    public static final String LOGGER = "hikkoshi.access";
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final Logger log;

    public AccessLog() {
        this(LoggerFactory.getLogger(LOGGER));
    }

    AccessLog(Logger log) {
        this.log = log;
    }

    /** An observer that writes the access log and then tells {@code next}. */
    public static ExchangeObserver alongside(ExchangeObserver next) {
        AccessLog accessLog = new AccessLog();
        return exchange -> {
            accessLog.completed(exchange);
            next.completed(exchange);
        };
    }

    @Override
    public void completed(ExchangeRecord exchange) {
        if (log.isInfoEnabled()) {
            log.info(line(exchange));
        }
    }

    /** The JSON line for one exchange. */
    public static String line(ExchangeRecord e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", TIME.format(e.time().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
            g.writeStringField("request_id", e.requestId());
            g.writeStringField("tenant", e.tenant());
            g.writeStringField("site", e.site());
            g.writeStringField("upstream", e.upstream());
            g.writeStringField("method", e.method());
            g.writeStringField("path", e.path());
            g.writeNumberField("status", e.status());
            g.writeNumberField("bytes_in", e.bytesIn());
            g.writeNumberField("bytes_out", e.bytesOut());
            g.writeNumberField("duration_ms", millis(e.durationMicros()));
            g.writeNumberField("upstream_ms", millis(e.upstreamMicros()));
            g.writeNumberField("held_ms", millis(e.heldMicros()));
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /** Milliseconds with microsecond precision (3 decimals), as Fluent Bit parsers expect a number. */
    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
