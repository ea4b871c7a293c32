package dev.hikkoshi.cutover.move;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.copy.RowKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirtyRowCheckTest {
    @Test
    void numbersAndUtf8Text_becomeTheServersText() {
        assertThat(DirtyRowCheck.text(RowKey.of(17, "naïve")).values()).containsExactly("17", "naïve");
    }

    @Test
    void bytesThatAreNotText_becomeHex() {
        RowKey key = RowKey.ofBytes(List.of(new byte[] {(byte) 0xff, 0x00, 0x10}));
        assertThat(DirtyRowCheck.text(key).values()).containsExactly("0xff0010");
    }

    @Test
    void textThatLooksLikeHex_isSentAsHexSoItIsNotReadBackAsBytes() {
        RowKey key = RowKey.ofBytes(List.of("0xab".getBytes(StandardCharsets.UTF_8)));
        assertThat(DirtyRowCheck.text(key).values()).containsExactly("0x30786162");
    }
}
