package dev.hikkoshi.data.connect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.config.DatabaseUrl;
import dev.hikkoshi.data.config.Password;
import dev.hikkoshi.data.config.TlsConfig;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.data.schema.ServerInfo;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection pool (HikariCP, MariaDB Connector/J) to one site's database, with its inspector and server
 * info. Opening checks that the server answers: a wrong host, user, password or schema is a
 * {@link UserException} naming the site and what to check, never showing the password. Used by every data
 * command and by copy, verification and change capture.
 */
public final class SiteDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SiteDatabase.class);

    private final DatabaseConfig config;
    private final HikariDataSource pool;
    private final SchemaInspector inspector;

    private SiteDatabase(DatabaseConfig config, HikariDataSource pool) {
        this.config = config;
        this.pool = pool;
        this.inspector = new SchemaInspector(pool, config.describe());
    }

    /** Opens a pool of at most {@code maxConnections} and checks one connection. */
    public static SiteDatabase open(DatabaseConfig config, int maxConnections) {
        Objects.requireNonNull(config, "config");
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("hikkoshi-" + config.site());
        hikari.setJdbcUrl(config.url().driverUrl(tlsParameters(config.tls())));
        hikari.setUsername(config.user());
        config.password().map(Password::value).ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(maxConnections);
        hikari.setMinimumIdle(0);
        hikari.setConnectionTimeout(10_000);
        hikari.setInitializationFailTimeout(1); // fail at once, with the driver's reason, when the server is wrong
        try {
            SiteDatabase db = new SiteDatabase(config, new HikariDataSource(hikari));
            log.info("connected to {}: {}", config.describe(), db.serverInfo().describe());
            return db;
        } catch (RuntimeException e) {
            SQLException sql = sqlCause(e);
            if (sql == null) {
                throw e;
            }
            throw new UserException("cannot connect to the database of " + config.describe() + ": "
                    + driverMessage(sql) + " (SQLSTATE " + sql.getSQLState() + ")",
                    hint(config, sql), sql);
        }
    }

    /** The driver's message without its connection number, with any URL password masked. */
    public static String driverMessage(SQLException e) {
        return DatabaseUrl.redact(String.valueOf(e.getMessage()).replaceFirst("^\\(conn=\\d+\\) ", ""));
    }

    private static String hint(DatabaseConfig config, SQLException e) {
        String at = "sites." + config.site() + ".database";
        if (e.getErrorCode() == 1045 || "28000".equals(e.getSQLState())) {
            return "check " + at + ".user and the password in the environment variable named by " + at + ".password-env";
        }
        if (e.getErrorCode() == 1049) {
            return "create the schema " + config.schema() + " on that server, or fix the schema in " + at + ".url";
        }
        return "check " + at + ".url (host and port) and that the server accepts connections from this host";
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** Connector/J's TLS parameters for the configured mode. */
    static Map<String, String> tlsParameters(TlsConfig tls) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sslMode", switch (tls.mode()) {
            case DISABLE -> "disable";
            case TRUST -> "trust";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_FULL -> "verify-full";
        });
        tls.caFile().ifPresent(ca -> params.put("serverSslCert", ca.toAbsolutePath().toString()));
        return params;
    }

    public DatabaseConfig config() {
        return config;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Lets the pool open up to {@code maxConnections} from now on: the controller learns how many tenants it drives
     * (each stream and bypass watch keeps a connection) only after the pool is open. Connections are opened on
     * demand, never ahead.
     */
    public void allowConnections(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("a pool needs at least one connection: " + maxConnections);
        }
        pool.getHikariConfigMXBean().setMaximumPoolSize(maxConnections);
    }

    /** The schema named in the site's URL. */
    public String schema() {
        return config.schema();
    }

    public SchemaInspector inspector() {
        return inspector;
    }

    public ServerInfo serverInfo() {
        return inspector.serverInfo();
    }

    /** {@code site legacy (10.0.1.20:3306/shop as migrator)}. */
    public String describe() {
        return config.describe();
    }

    @Override
    public void close() {
        pool.close();
    }
}
