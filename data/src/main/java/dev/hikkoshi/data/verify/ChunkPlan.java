package dev.hikkoshi.data.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The chunks a verification compares, taken from the chunks of the previous one over the same tables instead of
 * walking the source's keys again: a differential capture compares the same tenant pass after pass, and a chunk
 * that keeps its bounds can be told apart from the previous pass's (see {@code DifferentialCapture}'s claims). Each
 * entry names the first previous chunk it covers ({@link Entry#firstOrigin}). A previous chunk that grew beyond
 * twice the chunk size is split again by walking its keys ({@link Entry#split}), and so is each table's last chunk
 * (open above: rows appended since are there, and one boundary query tells); any other chunk that grew is compared
 * whole once, then split. Neighbours that shrank are merged up to one chunk's size. The bounds stay keys compared by the servers, so the chunks still tile each table's key
 * space whatever the key's type or collation. {@link #walk()} plans nothing: every table's keys are walked.
 */
public final class ChunkPlan {
    /** A chunk to compare: its table, its range, the first previous chunk it covers, and whether to split it. */
    public record Entry(String table, KeyRange range, int firstOrigin, boolean split) {
        public Entry {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(range, "range");
        }
    }

    private static final ChunkPlan WALK = new ChunkPlan(List.of());

    private final List<Entry> entries;

    private ChunkPlan(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No plan: every table's chunks are walked from its keys. */
    public static ChunkPlan walk() {
        return WALK;
    }

    /**
     * The chunks of {@code previous} (one whole verification, in the order compared) as the next one's plan for
     * chunks of {@code chunkRows} rows.
     */
    public static ChunkPlan after(List<ComparedChunk> previous, int chunkRows) {
        List<Entry> out = new ArrayList<>();
        int i = 0;
        while (i < previous.size()) {
            ComparedChunk first = previous.get(i);
            if (first.rows() > 2L * chunkRows || first.range().upper().isEmpty()) {
                out.add(new Entry(first.table(), first.range(), i, true));
                i++;
                continue;
            }
            // Merge the following chunks of the same table while the whole stays within one chunk's rows.
            int last = i;
            long rows = first.rows();
            while (last + 1 < previous.size() && previous.get(last + 1).table().equals(first.table())
                    && rows + previous.get(last + 1).rows() <= chunkRows) {
                last++;
                rows += previous.get(last).rows();
            }
            KeyRange merged = new KeyRange(first.range().lower(), previous.get(last).range().upper());
            out.add(new Entry(first.table(), merged, i, merged.upper().isEmpty()));
            i = last + 1;
        }
        return new ChunkPlan(out);
    }

    /** Every entry, in the order compared. */
    public List<Entry> entries() {
        return entries;
    }

    /** Whether the plan is for exactly {@code tables}, in that order (each at least one entry). */
    public boolean covers(List<String> tables) {
        List<String> planned = new ArrayList<>();
        for (Entry e : entries) {
            String t = e.table().toLowerCase(Locale.ROOT);
            if (planned.isEmpty() || !planned.get(planned.size() - 1).equals(t)) {
                planned.add(t);
            }
        }
        return planned.equals(tables.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
    }

    /** The entries of {@code table} with their indexes in {@link #entries()}; empty when its keys are to be walked. */
    List<Integer> entriesOf(String table) {
        List<Integer> out = new ArrayList<>();
        for (int e = 0; e < entries.size(); e++) {
            if (entries.get(e).table().toLowerCase(Locale.ROOT).equals(table.toLowerCase(Locale.ROOT))) {
                out.add(e);
            }
        }
        return out;
    }
}
