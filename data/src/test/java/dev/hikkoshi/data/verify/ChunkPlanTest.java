package dev.hikkoshi.data.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChunkPlanTest {
    private static Optional<RowKey> key(int k) {
        return Optional.of(new RowKey(List.of(String.valueOf(k))));
    }

    private static ComparedChunk chunk(String table, Optional<RowKey> lower, Optional<RowKey> upper, long rows) {
        return new ComparedChunk(table, new KeyRange(lower, upper), -1, Instant.EPOCH, rows, rows, List.of());
    }

    @Test
    void chunksOfTheRightSize_areKeptAsTheyWere_eachNamingItsOrigin_andEachTablesLastIsWalkedForAppendedRows() {
        List<ComparedChunk> previous = List.of(chunk("a", Optional.empty(), key(100), 100),
                chunk("a", key(100), key(200), 100), chunk("a", key(200), Optional.empty(), 60),
                chunk("b", Optional.empty(), Optional.empty(), 80));

        ChunkPlan plan = ChunkPlan.after(previous, 100);

        assertThat(plan.entries()).containsExactly(
                new ChunkPlan.Entry("a", new KeyRange(Optional.empty(), key(100)), 0, false),
                new ChunkPlan.Entry("a", new KeyRange(key(100), key(200)), 1, false),
                new ChunkPlan.Entry("a", new KeyRange(key(200), Optional.empty()), 2, true),
                new ChunkPlan.Entry("b", KeyRange.all(), 3, true));
    }

    @Test
    void aChunkThatGrewBeyondTwiceTheSize_isSplitAgain_andShrunkNeighboursMerge_withinTheirTable() {
        List<ComparedChunk> previous = List.of(chunk("a", Optional.empty(), key(100), 30),
                chunk("a", key(100), key(200), 40), chunk("a", key(200), key(300), 50),
                chunk("a", key(300), Optional.empty(), 201), chunk("b", Optional.empty(), key(5), 10),
                chunk("b", key(5), Optional.empty(), 10));

        ChunkPlan plan = ChunkPlan.after(previous, 100);

        assertThat(plan.entries()).containsExactly(
                new ChunkPlan.Entry("a", new KeyRange(Optional.empty(), key(200)), 0, false),
                new ChunkPlan.Entry("a", new KeyRange(key(200), key(300)), 2, false),
                new ChunkPlan.Entry("a", new KeyRange(key(300), Optional.empty()), 3, true),
                new ChunkPlan.Entry("b", KeyRange.all(), 4, true));
        assertThat(plan.entriesOf("B")).containsExactly(3);
        assertThat(plan.covers(List.of("A", "b"))).isTrue();
        assertThat(plan.covers(List.of("b", "a"))).as("another order").isFalse();
        assertThat(plan.covers(List.of("a"))).isFalse();
        assertThat(ChunkPlan.walk().entriesOf("a")).isEmpty();
    }
}
