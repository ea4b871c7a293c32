package dev.hikkoshi.data.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableVerifierTest {
    @Test
    void chunksSkipChecksums_fromTheFirstDifferingChunk_whileAtLeastHalfDiffered() {
        assertThat(TableVerifier.straightToRowHashes(0, 0)).as("the first chunks: nothing known yet").isFalse();
        assertThat(TableVerifier.straightToRowHashes(1, 1)).isTrue();
        assertThat(TableVerifier.straightToRowHashes(2, 1)).as("a tie goes to the row hashes").isTrue();
        assertThat(TableVerifier.straightToRowHashes(3, 1)).isFalse();
        assertThat(TableVerifier.straightToRowHashes(40, 0)).as("an equal tenant keeps its checksums").isFalse();
        assertThat(TableVerifier.straightToRowHashes(39, 38)).isTrue();
    }
}
