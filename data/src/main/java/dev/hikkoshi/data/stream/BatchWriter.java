package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.WriteMarker;
import dev.hikkoshi.data.copy.KeySync;
import dev.hikkoshi.data.copy.RowKey;
import dev.hikkoshi.data.stream.StreamTables.StreamTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one batch of a {@link TenantStream}: re-reads the source rows of the pending keys (share-locked, in
 * the source transaction), adds the target children of every parent about to be deleted (the source re-read
 * can be ahead of the cascade that explains a parent's absence), deletes children first and upserts parents
 * first through each table's {@link KeySync}, writes the marker and the checkpoint, and commits the target,
 * then the source. {@code pending} is widened to every key written, for the dirty set.
 */
final class BatchWriter {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BatchWriter.class);
    private final StreamTables tables;
    private final TenantFilter filter;
    private final String name;

    BatchWriter(StreamTables tables, TenantFilter filter, String name) {
        this.tables = tables;
        this.filter = filter;
        this.name = name;
    }

    /** One attempt; on failure the caller rolls both connections back. {@code last} is null for a sweep. */
    void write(Connection src, Connection tgt, Map<StreamTable, Set<RowKey>> pending, ChangeTransaction last,
               long appliedTotal) throws SQLException {
        long started = System.nanoTime();
        List<StreamTable> order = tables.parentsFirst();
        Map<StreamTable, KeySync.SourceRows> read = new LinkedHashMap<>();
        Map<StreamTable, Set<RowKey>> work = new LinkedHashMap<>();
        pending.forEach((t, keys) -> work.put(t, new java.util.LinkedHashSet<>(keys)));
        Map<StreamTable, Set<RowKey>> done = new LinkedHashMap<>();
        for (int round = 0; round < 8; round++) {
            boolean more = false;
            for (StreamTable t : order) {
                Set<RowKey> keys = new java.util.LinkedHashSet<>(work.getOrDefault(t, Set.of()));
                keys.removeAll(done.getOrDefault(t, Set.of()));
                if (keys.isEmpty()) {
                    continue;
                }
                more = true;
                done.computeIfAbsent(t, x -> new java.util.LinkedHashSet<>()).addAll(keys);
                KeySync.SourceRows rows = t.sync().read(src, keys);
                read.merge(t, rows, KeySync.SourceRows::plus);
                filter.childrenOfGone(t, rows.gone(), src, tgt, work);
            }
            if (!more) {
                break;
            }
        }
        pending.clear();
        pending.putAll(work);
        long readAt = System.nanoTime();
        // Children first: a join-path child's tenant on the target is judged through its parent, which a
        // parent deleted first would no longer tell.
        for (int i = order.size() - 1; i >= 0; i--) {
            KeySync.SourceRows rows = read.get(order.get(i));
            if (rows != null) {
                order.get(i).sync().deleteGone(tgt, rows);
            }
        }
        for (StreamTable t : order) {
            KeySync.SourceRows rows = read.get(t);
            if (rows != null) {
                t.sync().upsertUncounted(tgt, rows);
            }
        }
        long writtenAt = System.nanoTime();
        WriteMarker.mark(tgt, name);
        if (last != null) {
            StreamCheckpoints.save(tgt, name, last.end(), last.committedAt(), appliedTotal);
        }
        tgt.commit();
        src.commit();
        if (log.isDebugEnabled()) {
            long now = System.nanoTime();
            log.debug("batch of {}: {} keys read in {} ms, written in {} ms, committed in {} ms", name,
                    pending.values().stream().mapToInt(Set::size).sum(), (readAt - started) / 1_000_000,
                    (writtenAt - readAt) / 1_000_000, (now - writtenAt) / 1_000_000);
        }
    }
}
