package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.copy.RowKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A stream's dirty set, cleared by a verification that runs beside the stream. */
class DirtyKeysTest {
    private static final RowKey ONE = RowKey.of(1L);
    private static final RowKey TWO = RowKey.of(2L);
    private static final RowKey THREE = RowKey.of(3L);

    @Test
    void keysFoundEqual_areNoLongerDirty() {
        DirtyKeys dirty = new DirtyKeys();
        dirty.changed(Map.of("orders", List.of(ONE, TWO), "customers", List.of(THREE)));

        DirtyKeys.Snapshot seen = dirty.snapshot();
        dirty.verified(seen, "orders", Set.of(ONE));

        assertThat(seen.keys()).isEqualTo(Map.of("orders", Set.of(ONE, TWO), "customers", Set.of(THREE)));
        assertThat(seen.rows()).isEqualTo(3);
        assertThat(dirty.snapshot().keys()).isEqualTo(Map.of("orders", Set.of(TWO), "customers", Set.of(THREE)));
        assertThat(dirty.rows()).isEqualTo(2);
    }

    @Test
    void aKeyChangedAgainAfterTheSnapshot_staysDirty() {
        DirtyKeys dirty = new DirtyKeys();
        dirty.changed(Map.of("orders", List.of(ONE, TWO)));
        DirtyKeys.Snapshot seen = dirty.snapshot();

        // The stream applies another change to row 1 while the verification compares the snapshot's rows.
        dirty.changed(Map.of("orders", List.of(ONE)));
        dirty.verified(seen, "orders", Set.of(ONE, TWO));

        assertThat(dirty.snapshot().keys()).isEqualTo(Map.of("orders", Set.of(ONE)));
    }

    @Test
    void aKeyTheSnapshotDidNotHold_isNotCleared() {
        DirtyKeys dirty = new DirtyKeys();
        DirtyKeys.Snapshot seen = dirty.snapshot();
        dirty.changed(Map.of("orders", List.of(THREE)));

        dirty.verified(seen, "orders", Set.of(THREE));

        assertThat(seen.keys()).isEmpty();
        assertThat(dirty.snapshot().keys()).isEqualTo(Map.of("orders", Set.of(THREE)));
    }

    @Test
    void aTableWithoutDirtyRows_isLeftOutOfTheSnapshot() {
        DirtyKeys dirty = new DirtyKeys();
        dirty.changed(Map.of("orders", List.of(ONE)));
        dirty.verified(dirty.snapshot(), "orders", Set.of(ONE));

        assertThat(dirty.snapshot().keys()).isEmpty();
        assertThat(dirty.rows()).isZero();
    }
}
