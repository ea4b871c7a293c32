package dev.hikkoshi.data.copy;

/**
 * Called by the copy at each {@link CopyPoint}, on the copying thread. Production passes {@link #NONE}; tests
 * use it to kill a child JVM at a named point or to observe the source's locks mid-chunk.
 */
@FunctionalInterface
public interface CopyHooks {
    CopyHooks NONE = (point, table) -> { };

    void reached(CopyPoint point, String table) throws InterruptedException;
}
