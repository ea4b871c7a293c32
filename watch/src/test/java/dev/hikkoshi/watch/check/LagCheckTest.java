package dev.hikkoshi.watch.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LagCheckTest {
    private static final Threshold LAG = new Threshold(Optional.of(10.0), Optional.of(60.0));

    private static StreamStatus stream(String tenant, StreamState state, double lag, Optional<String> problem) {
        return new StreamStatus(new StreamId(TenantId.of(tenant), SiteId.of("legacy"), SiteId.of("cloud")), "binlog",
                state, "gtid:0-1-5", lag, 0, Duration.ofMillis((long) (lag * 1000)), 0, 7, false, problem, Instant.EPOCH);
    }

    @Test
    void lagBetweenTheThresholds_warnsNamingTheStream() {
        CheckResult r = LagCheck.run(List.of(stream("acme", StreamState.STREAMING, 2, Optional.empty()),
                stream("globex", StreamState.CATCHING_UP, 12.5, Optional.empty())), LAG);

        assertThat(r.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(r.line()).isEqualTo("HIKKOSHI LAG WARNING - stream globex:legacy->cloud lags 12.5s (above 10s)"
                + " (2 streams, largest lag 12.5s (globex:legacy->cloud)) | lag=12.5s;10;60;0; streams=2;;;0; stopped=0;;0;0;");
    }

    @Test
    void stoppedStream_isCriticalEvenWithLittleLag() {
        CheckResult r = LagCheck.run(List.of(stream("acme", StreamState.STOPPED, 0.5,
                Optional.of("ALTER TABLE orders on site legacy"))), LAG);

        assertThat(r.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(r.summary()).startsWith("stream acme:legacy->cloud STOPPED: ALTER TABLE orders on site legacy (");
        assertThat(r.line()).endsWith("stopped=1;;0;0;");
    }

    @Test
    void lagAboveCritical_isCritical_andNoStreams_isOk() {
        assertThat(LagCheck.run(List.of(stream("acme", StreamState.STREAMING, 61, Optional.empty())), LAG).status())
                .isEqualTo(CheckStatus.CRITICAL);
        assertThat(LagCheck.run(List.of(), LAG).line()).isEqualTo("HIKKOSHI LAG OK - no change streams | streams=0;;;0;");
    }
}
