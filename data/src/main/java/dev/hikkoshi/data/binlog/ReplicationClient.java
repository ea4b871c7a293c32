package dev.hikkoshi.data.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.protocol.PacketChannel;
import java.io.IOException;

/**
 * The library's replication client with one addition: {@link #dropConnection()} closes the socket without
 * waiting. The library's own {@code disconnect()} waits for {@code connect()} to return, which deadlocks when
 * called from an event listener (the tailer stops from there) or from a sink that blocks the tailer's thread.
 */
final class ReplicationClient extends BinaryLogClient {
    ReplicationClient(String host, int port, String user, String password) {
        super(host, port, user, password);
    }

    /** Closes the replication socket; {@code connect()} then returns on the tailer's thread. */
    void dropConnection() {
        PacketChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // Closing a socket that is already broken: nothing more to release.
            }
        }
    }
}
