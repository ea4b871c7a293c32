package dev.hikkoshi.data.config;

import dev.hikkoshi.core.routing.SiteId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sites.NAME.database}: where a site's database is, who hikkoshi connects as, how changes are captured
 * when it is a source, TLS, and per-column charset overrides ({@code orders.note: cp932} says a latin1 column
 * really holds Shift_JIS bytes). The password comes from the environment and is never shown. {@code serverId}
 * ({@code server-id}) is the replication server_id of hikkoshi's binlog tailer on this server; empty: the
 * tailer's default. {@code differential} paces a checksum differential capture of this site ({@link DifferentialPace}).
 */
public record DatabaseConfig(SiteId site, DatabaseUrl url, String user, Optional<Password> password,
                             CaptureMode capture, TlsConfig tls, Map<ColumnRef, String> charsetOverrides,
                             java.util.OptionalLong serverId, DifferentialPace differential) {
    public DatabaseConfig {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(tls, "tls");
        charsetOverrides = Map.copyOf(charsetOverrides);
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(differential, "differential");
    }

    /** A database without a configured binlog server_id or differential pace (as before {@code server-id}). */
    public DatabaseConfig(SiteId site, DatabaseUrl url, String user, Optional<Password> password, CaptureMode capture,
                          TlsConfig tls, Map<ColumnRef, String> charsetOverrides) {
        this(site, url, user, password, capture, tls, charsetOverrides, java.util.OptionalLong.empty(),
                DifferentialPace.defaults());
    }

    /** The schema (database) named in the URL. */
    public String schema() {
        return url.schema();
    }

    /** How messages name this database: {@code site legacy (10.0.1.20:3306/shop as migrator)}. */
    public String describe() {
        return "site " + site + " (" + url.address() + "/" + url.schema() + " as " + user + ")";
    }

    /** The charset the bytes of a column really are in, when the config overrides the declared one. */
    public Optional<String> charsetOverride(String table, String column) {
        return charsetOverrides.entrySet().stream()
                .filter(e -> e.getKey().table().equalsIgnoreCase(table) && e.getKey().column().equalsIgnoreCase(column))
                .map(Map.Entry::getValue).findFirst();
    }
}
