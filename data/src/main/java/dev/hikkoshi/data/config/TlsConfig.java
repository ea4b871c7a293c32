package dev.hikkoshi.data.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** {@code sites.*.database.tls}: the TLS mode and an optional CA certificate file (PEM). */
public record TlsConfig(TlsMode mode, Optional<Path> caFile) {
    public TlsConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(caFile, "caFile");
    }

    public static TlsConfig disabled() {
        return new TlsConfig(TlsMode.DISABLE, Optional.empty());
    }
}
