package dev.hikkoshi.data.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.config.TlsConfig;
import dev.hikkoshi.data.config.TlsMode;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SiteDatabaseTest {
    @Test
    void tlsParameters_eachMode_mapsToConnectorJsSslMode() {
        assertThat(SiteDatabase.tlsParameters(TlsConfig.disabled())).isEqualTo(Map.of("sslMode", "disable"));
        assertThat(SiteDatabase.tlsParameters(new TlsConfig(TlsMode.TRUST, Optional.empty())))
                .isEqualTo(Map.of("sslMode", "trust"));
        assertThat(SiteDatabase.tlsParameters(new TlsConfig(TlsMode.VERIFY_FULL, Optional.of(Path.of("/etc/ca.pem")))))
                .isEqualTo(Map.of("sslMode", "verify-full", "serverSslCert", "/etc/ca.pem"));
    }

    @Test
    void driverMessage_dropsTheConnectionNumberAndMasksPasswords() {
        assertThat(SiteDatabase.driverMessage(new SQLException("(conn=42) Access denied for url ?password=hunter2&x=1")))
                .isEqualTo("Access denied for url ?password=***&x=1");
    }
}
