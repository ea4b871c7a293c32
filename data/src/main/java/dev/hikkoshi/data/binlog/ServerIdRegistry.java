package dev.hikkoshi.data.binlog;

import dev.hikkoshi.core.UserException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The binlog tailers running in this process, one per source server ({@code host:port}) with the server_id it
 * reads with. A second tailer on the same server is refused: it would be a second replication connection (and,
 * with the same id, the source would drop the first one without a word). Readers in other processes are only
 * seen through the source's registered replicas, and unregistered readers not at all (docs/data.md).
 */
final class ServerIdRegistry {
    private static final Map<String, Long> RUNNING = new ConcurrentHashMap<>();

    private ServerIdRegistry() {
    }

    /** Claims {@code address} for a tailer reading with {@code serverId}; {@code key} names the config setting. */
    static void claim(String address, long serverId, String server, String key) {
        Long running = RUNNING.putIfAbsent(address, serverId);
        if (running != null) {
            throw new UserException("a hikkoshi binlog tailer for " + server + " is already running in this process"
                    + " (server-id " + running + ")" + (running == serverId
                    ? ": a second reader with the same server-id would disconnect it" : ""),
                    "subscribe to the running tailer (one replication connection per source server), or set " + key
                            + " for a tailer in another process");
        }
    }

    static void release(String address) {
        RUNNING.remove(address);
    }
}
