package dev.hikkoshi.sandbox.db;

/**
 * A source and a target sandbox server, as a migration sees them: tests, benchmarks and the demo copy
 * from {@link #source()} to {@link #target()}. Closing the pair stops both.
 */
public record DatabasePair(EmbeddedMariaDb source, EmbeddedMariaDb target) implements AutoCloseable {
    /** Server ids of the pair's servers; hikkoshi's own binlog tailers must pick others. */
    public static final int SOURCE_SERVER_ID = 101;
    public static final int TARGET_SERVER_ID = 102;

    /** Starts a source with {@code sourceProfile} and a binlog-on target, one after the other. */
    public static DatabasePair start(ServerProfile sourceProfile) {
        EmbeddedMariaDb source = EmbeddedMariaDb.start("source", sourceProfile, SOURCE_SERVER_ID);
        try {
            return new DatabasePair(source, EmbeddedMariaDb.start("target", ServerProfile.BINLOG_ROW, TARGET_SERVER_ID));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            target.close();
        } finally {
            source.close();
        }
    }
}
