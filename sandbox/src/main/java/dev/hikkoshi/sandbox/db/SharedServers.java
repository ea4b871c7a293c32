package dev.hikkoshi.sandbox.db;

/**
 * The sandbox servers of one JVM, started on first use and stopped when the JVM exits, so that an
 * integration-test JVM pays for server start-up once (tests must stay fast on 2 cores). Each test takes a
 * fresh schema on them through {@link FreshSchemaExtension}.
 */
public final class SharedServers {
    private static DatabasePair pair;
    private static EmbeddedMariaDb legacySource;

    private SharedServers() {
    }

    /** A binlog-on source and target. */
    public static synchronized DatabasePair pair() {
        if (pair == null) {
            pair = DatabasePair.start(ServerProfile.BINLOG_ROW);
            DatabasePair started = pair;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "sandbox-mariadb-stop"));
        }
        return pair;
    }

    /** A legacy-like server standing in for an old MySQL source; started only when a test asks for it. */
    public static synchronized EmbeddedMariaDb legacySource() {
        if (legacySource == null) {
            legacySource = EmbeddedMariaDb.start("legacy", ServerProfile.LEGACY_LIKE, 103);
            EmbeddedMariaDb started = legacySource;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "sandbox-mariadb-legacy-stop"));
        }
        return legacySource;
    }
}
