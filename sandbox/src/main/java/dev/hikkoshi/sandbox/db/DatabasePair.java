package dev.hikkoshi.sandbox.db;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A source and a target sandbox server, as a migration sees them: tests, benchmarks and the demo copy
 * from {@link #source()} to {@link #target()}. Closing the pair stops both.
 */
public record DatabasePair(EmbeddedMariaDb source, EmbeddedMariaDb target) implements AutoCloseable {
    /** Server ids of the pair's servers; hikkoshi's own binlog tailers must pick others. */
    public static final int SOURCE_SERVER_ID = 101;
    public static final int TARGET_SERVER_ID = 102;

    /**
     * Starts a source with {@code sourceProfile} and a binlog-on target at the same time: most of a start is
     * waiting for mariadb-install-db's and InnoDB's fsyncs, so two starts overlap well even on 2 cores.
     */
    public static DatabasePair start(ServerProfile sourceProfile) {
        CompletableFuture<EmbeddedMariaDb> target = CompletableFuture.supplyAsync(
                () -> EmbeddedMariaDb.start("target", ServerProfile.BINLOG_ROW, TARGET_SERVER_ID));
        EmbeddedMariaDb source;
        try {
            source = EmbeddedMariaDb.start("source", sourceProfile, SOURCE_SERVER_ID);
        } catch (RuntimeException e) {
            target.thenAccept(EmbeddedMariaDb::close);
            throw e;
        }
        try {
            return new DatabasePair(source, target.join());
        } catch (CompletionException e) {
            source.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
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
