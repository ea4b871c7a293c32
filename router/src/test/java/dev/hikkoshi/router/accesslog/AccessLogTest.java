package dev.hikkoshi.router.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.router.route.ExchangeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log's schema is API (Fluent Bit parsers depend on it): field names, order and types. */
class AccessLogTest {
    private static final ExchangeRecord RECORD = new ExchangeRecord(Instant.parse("2026-11-29T06:40:01.123456Z"),
            "k3x9q2-1a", "acme", "cloud", "10.1.0.10:3000", "POST", "/t/acme/orders", 201, 512, 2048, 12_345, 10_001,
            1_500);

    @Test
    void line_hasTheStableSchema() {
        assertThat(AccessLog.line(RECORD)).isEqualTo("{\"time\":\"2026-11-29T06:40:01.123Z\",\"request_id\":\"k3x9q2-1a\","
                + "\"tenant\":\"acme\",\"site\":\"cloud\",\"upstream\":\"10.1.0.10:3000\",\"method\":\"POST\","
                + "\"path\":\"/t/acme/orders\",\"status\":201,\"bytes_in\":512,\"bytes_out\":2048,"
                + "\"duration_ms\":12.345,\"upstream_ms\":10.001,\"held_ms\":1.5}");
    }

    @Test
    void line_escapesHostileText_soEveryLineStaysOneJsonObject() throws Exception {
        ExchangeRecord odd = new ExchangeRecord(RECORD.time(), "id", "-", "-", "", "GET", "/a\"b\\c\u00e9\n", 400, 0, 0,
                0, 0, 0);
        String line = AccessLog.line(odd);
        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("path").asText()).isEqualTo("/a\"b\\c\u00e9\n");
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("time", "request_id", "tenant", "site", "upstream", "method", "path", "status",
                "bytes_in", "bytes_out", "duration_ms", "upstream_ms", "held_ms");
    }

    @Test
    void completed_writesOneLine_onTheAccessLogger() {
        Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        try {
            List<ExchangeRecord> seen = new ArrayList<>();
            AccessLog.alongside(seen::add).completed(RECORD);
            assertThat(appender.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
                    .isEqualTo(AccessLog.line(RECORD));
            assertThat(seen).containsExactly(RECORD);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
    }
}
