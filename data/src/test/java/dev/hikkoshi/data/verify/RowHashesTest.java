package dev.hikkoshi.data.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowHashesTest {
    @Test
    void numbered_mergeFindsChangedMissingAndExtraKeys_inWhateverOrderTheServerSentThem() {
        RowHashes source = RowHashes.Numbered.of(new long[] {5, 1, 3, 7, 9}, new long[] {50, 10, 30, 70, 90});
        RowHashes target = RowHashes.Numbered.of(new long[] {1, 3, 4, 7, 9, 11}, new long[] {10, 31, 40, 70, 90, 110});

        assertThat(RowHashes.differing(source, target))
                .containsExactlyInAnyOrder(RowKey.of("3"), RowKey.of("4"), RowKey.of("5"), RowKey.of("11"));
    }

    @Test
    void numbered_equalSides_differNowhere_andNegativeKeysPrintAsTheServerDoes() {
        RowHashes source = RowHashes.Numbered.of(new long[] {-2, 0, 8}, new long[] {1, 2, 3});
        RowHashes target = RowHashes.Numbered.of(new long[] {8, -2, 0}, new long[] {3, 1, 2});
        RowHashes changed = RowHashes.Numbered.of(new long[] {-2, 0, 8}, new long[] {9, 2, 3});

        assertThat(RowHashes.differing(source, target)).isEmpty();
        assertThat(RowHashes.differing(changed, target)).containsExactly(RowKey.of("-2"));
    }

    @Test
    void numbered_keyReadTwice_isRefused_ratherThanSkippingRows() {
        assertThatThrownBy(() -> RowHashes.Numbered.of(new long[] {3, 1, 3}, new long[] {1, 2, 3}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("row key 3 was read twice in one chunk");
    }

    @Test
    void mixedForms_compareByKeyText() {
        Map<RowKey, Long> keyed = new HashMap<>();
        keyed.put(RowKey.of("1"), 10L);
        keyed.put(RowKey.of("9223372036854775808"), 20L);
        RowHashes target = RowHashes.Numbered.of(new long[] {1, 2}, new long[] {10, 30});

        assertThat(RowHashes.differing(new RowHashes.Keyed(keyed), target))
                .containsExactlyInAnyOrder(RowKey.of("9223372036854775808"), RowKey.of("2"));
    }

    @Test
    void hex64_readsTheFirst64BitsOfAnMd5AsTheServerPrintsThem() {
        // MD5('abc') = 900150983cd24fb0d6963f7d28e17f72; the servers' CONV(LEFT(..., 16), 16, 10) of it.
        assertThat(RowHashes.hex64("900150983cd24fb0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo(Long.parseUnsignedLong("10376663631224000432"));
    }
}
