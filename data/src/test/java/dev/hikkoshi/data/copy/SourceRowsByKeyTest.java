package dev.hikkoshi.data.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourceRowsByKeyTest {
    private static boolean plain(String text) {
        return SourceRowsByKey.plainNumber(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void onlyTheServersTextOfAnIntegerOrDecimal_isWrittenIntoTheSql() {
        assertThat(plain("42")).isTrue();
        assertThat(plain("-7")).isTrue();
        assertThat(plain("18446744073709551615")).isTrue();
        assertThat(plain("12.50")).isTrue();
        assertThat(plain("-0.001")).isTrue();
        for (String other : new String[] {"", "-", "1e5", "1.", ".5", "1 ", " 1", "0x1F", "1,2", "1.2.3", "--1", "1-", "'1'",
                "1) OR (1=1", "\u00b9"}) {
            assertThat(plain(other)).as(other).isFalse();
        }
    }
}
