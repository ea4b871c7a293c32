package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.data.differential.DifferentialCapture;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The capture a source site's config asks for, opened as {@code hikkoshi data sync} opens it. */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(60)
class CapturesIT {

    /**
     * The source site's {@code differential} pace reaches a running subscription: after a pass that found nothing,
     * the next begins no sooner than the configured minimum pause (the default, 100 ms, would begin it at once).
     */
    @Test
    void differential_runsItsPassesAtTheSourceSitesConfiguredPace(SchemaPair pair) throws Exception {
        for (var side : List.of(pair.source(), pair.target())) {
            side.execute("CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, note VARCHAR(20),"
                    + " KEY (tenant_id)) ENGINE=InnoDB", "INSERT INTO orders VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c')");
        }
        String yaml = "sites:\n"
                + "  legacy: { database: { url: \"" + pair.source().jdbcUrl() + "\", user: root, capture: differential,\n"
                + "                        differential: { pass-interval: 2s, minimum-pause: 2s } } }\n"
                + "  cloud: { database: { url: \"" + pair.target().jdbcUrl() + "\", user: root } }\n"
                + "tenants: { list: [ { name: acme, id: 1 } ] }\n"
                + "data: { tenant-column: tenant_id }\n";
        record Received(Instant at, ChangeTransaction pass) {
        }
        List<Received> received = new CopyOnWriteArrayList<>();
        try (DataContext data = DataContext.open(ConfigDocument.parse(Path.of("hikkoshi.yaml"), yaml, Map.of()),
                Optional.empty(), Optional.empty(), 4)) {
            TenantScope scope = data.inspectScope().orThrow();
            try (ChangeCapture capture = Captures.open(data, scope, data.tenant("acme"));
                 ChangeCapture.Subscription ignored = capture.subscribe(Set.of("orders"),
                         new CapturePosition.DifferentialPass(0), new ChangeSink() {
                             @Override
                             public void accept(ChangeTransaction t) {
                                 received.add(new Received(Instant.now(), t));
                             }

                             @Override
                             public void stopped(CaptureStop reason) {
                             }
                         })) {
                assertThat(capture).isInstanceOf(DifferentialCapture.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
        }

        assertThat(received).as("passes delivered within 30 s").hasSizeGreaterThanOrEqualTo(2);
        assertThat(received.get(0).pass().changes()).as("the sides are equal").isEmpty();
        // The second pass began (its transaction carries its start) at least the minimum pause after the first ended.
        Duration pause = Duration.between(received.get(0).at(), received.get(1).pass().committedAt());
        assertThat(pause).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    }
}
