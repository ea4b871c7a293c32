package dev.hikkoshi.data.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.verify.ChunkPlan;
import dev.hikkoshi.data.verify.ComparedChunk;
import dev.hikkoshi.data.verify.KeyRange;
import dev.hikkoshi.data.verify.RowKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PassClaimsTest {
    private static final Instant PREVIOUS_START = Instant.parse("2026-11-30T10:00:00Z");

    private static Optional<RowKey> key(int k) {
        return Optional.of(new RowKey(List.of(String.valueOf(k))));
    }

    private static Instant at(int ms) {
        return PREVIOUS_START.plusMillis(ms);
    }

    /** Four chunks of table t, the previous pass's, started at the given offsets (not quite in key order, as 4 threads start them). */
    private static List<ComparedChunk> previous(int... startedMs) {
        return List.of(new ComparedChunk("t", new KeyRange(Optional.empty(), key(10)), -1, at(startedMs[0]), 10, 10, List.of()),
                new ComparedChunk("t", new KeyRange(key(10), key(20)), -1, at(startedMs[1]), 10, 10, List.of()),
                new ComparedChunk("t", new KeyRange(key(20), key(30)), -1, at(startedMs[2]), 10, 10, List.of()),
                new ComparedChunk("t", new KeyRange(key(30), Optional.empty()), -1, at(startedMs[3]), 10, 10, List.of()));
    }

    private static ComparedChunk done(ChunkPlan plan, int entry) {
        return new ComparedChunk("t", plan.entries().get(entry).range(), entry, at(10_000), 10, 10, List.of());
    }

    @Test
    void afterEachChunk_claimsTheEarliestStartOfThePreviousChunksNotComparedAgain() {
        PassClaims claims = new PassClaims(PREVIOUS_START, previous(5, 40, 30, 90));
        ChunkPlan plan = claims.plan(10);

        assertThat(plan.entries()).hasSize(4);
        assertThat(claims.after(done(plan, 0), plan)).as("chunk 2 began before chunk 1").isEqualTo(at(30));
        assertThat(claims.after(done(plan, 1), plan)).isEqualTo(at(30));
        assertThat(claims.after(done(plan, 2), plan)).isEqualTo(at(90));
        assertThat(claims.after(done(plan, 3), plan)).as("the last entry: its own start (the pass's end claims more)")
                .isEqualTo(at(90));
    }

    @Test
    void aChunkThatDoesNotEndItsEntry_stillCountsTheEntrysOwnStart() {
        PassClaims claims = new PassClaims(PREVIOUS_START, previous(5, 40, 30, 90));
        ChunkPlan plan = claims.plan(10);
        ComparedChunk firstOfSplit = new ComparedChunk("t", new KeyRange(Optional.empty(), key(4)), 0, at(10_000), 4, 4,
                List.of());

        assertThat(claims.after(firstOfSplit, plan)).isEqualTo(at(5));
    }

    @Test
    void aChunkWalkedAfresh_claimsOnlyThePreviousPassStart() {
        PassClaims claims = new PassClaims(PREVIOUS_START, previous(5, 40, 30, 90));
        ChunkPlan plan = claims.plan(10);

        ComparedChunk walked = new ComparedChunk("t", KeyRange.all(), -1, at(10_000), 40, 40, List.of());

        assertThat(claims.after(walked, plan)).isEqualTo(PREVIOUS_START);
        assertThat(new PassClaims(PREVIOUS_START, List.of()).plan(10).entries()).as("no previous chunks: walk").isEmpty();
    }

    @Test
    void mergedChunks_claimFromTheFirstPreviousChunkOfTheNextEntry() {
        PassClaims claims = new PassClaims(PREVIOUS_START, previous(5, 20, 40, 90));
        ChunkPlan plan = claims.plan(20);

        assertThat(plan.entries()).extracting(ChunkPlan.Entry::firstOrigin).containsExactly(0, 2);
        assertThat(claims.after(done(plan, 0), plan)).as("chunks 2 and 3 are ahead, not chunk 1").isEqualTo(at(40));
        assertThat(claims.after(done(plan, 1), plan)).isEqualTo(at(40));
    }

    @Test
    void aClaimIsNeverEarlierThanThePreviousPassStart() {
        PassClaims claims = new PassClaims(PREVIOUS_START, previous(-5, 40, 30, 90));
        ChunkPlan plan = claims.plan(10);
        ComparedChunk firstOfSplit = new ComparedChunk("t", new KeyRange(Optional.empty(), key(4)), 0, at(10_000), 4, 4,
                List.of());

        assertThat(claims.after(firstOfSplit, plan)).isEqualTo(PREVIOUS_START);
    }
}
