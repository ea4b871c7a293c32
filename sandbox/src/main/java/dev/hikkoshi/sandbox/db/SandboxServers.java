package dev.hikkoshi.sandbox.db;

import java.io.IOException;
import java.io.InputStream;

/**
 * Starts a sandbox source and target (binlog on, ROW format) for scripts such as {@code bench/copy.sh}, prints
 * {@code source 127.0.0.1:PORT}, {@code target 127.0.0.1:PORT} and {@code ready}, and keeps them running until
 * its standard input closes or it is terminated; both servers and their data directories are then removed.
 * Run with {@code java -cp app/target/hikkoshi.jar dev.hikkoshi.sandbox.db.SandboxServers}.
 */
public final class SandboxServers {
    private SandboxServers() {
    }

    public static void main(String[] args) throws IOException {
        DatabasePair pair = DatabasePair.start(ServerProfile.BINLOG_ROW);
        Thread stop = new Thread(pair::close, "sandbox-servers-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        System.out.println("source " + pair.source().host() + ":" + pair.source().port());
        System.out.println("target " + pair.target().host() + ":" + pair.target().port());
        System.out.println("ready");
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // Wait for the caller to close our stdin (a SIGTERM runs the shutdown hook instead).
        }
        Runtime.getRuntime().removeShutdownHook(stop);
        pair.close();
    }
}
