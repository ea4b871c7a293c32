package dev.hikkoshi.data.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadDataRowsTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void rows_areTabSeparatedLines_withNullAsBackslashN_andEverySpecialByteEscaped() {
        LoadDataRows rows = new LoadDataRows(4);
        rows.append(new byte[][] {ascii("1"), null, new byte[0], ascii("a\tb\nc\\d\0e\r\u00ff")});
        rows.append(new byte[][] {ascii("\\N"), ascii("N")});

        assertThat(new String(rows.take(), StandardCharsets.ISO_8859_1))
                .isEqualTo("1\t\\N\t\ta\\tb\\nc\\\\d\\0e\r\u00ff\n\\\\N\tN\n");
        assertThat(rows.length()).isZero();
    }

    @Test
    void blocks_reachTheLoaderInOrder_andTheStreamEndsAtEnd() throws Exception {
        BlockStream stream = new BlockStream();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    stream.put(ascii("block " + i + ";"), () -> false);
                }
                stream.end(() -> false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.start();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[5];
        for (int n; (n = stream.read(buffer, 0, buffer.length)) >= 0; ) {
            read.write(buffer, 0, n);
        }
        writer.join();

        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            expected.append("block ").append(i).append(';');
        }
        assertThat(read.toString(StandardCharsets.ISO_8859_1)).isEqualTo(expected.toString());
        assertThat(stream.ended()).isTrue();
    }

    @Test
    void aCutStream_endsAtOnce_andIsNotEnded_andAPutGivesUpOnceTheLoaderIsGone() throws Exception {
        BlockStream stream = new BlockStream();
        stream.put(ascii("first"), () -> false);
        stream.cut();

        assertThat(stream.read(new byte[10], 0, 10)).isEqualTo(-1);
        assertThat(stream.ended()).isFalse();

        BlockStream unread = new BlockStream();
        for (int i = 0; i < 4; i++) {
            assertThat(unread.put(ascii("x"), () -> false)).isTrue(); // nobody reads: the blocks ahead fill up
        }
        assertThat(unread.put(ascii("one too many"), () -> true)).isFalse();
        assertThat(unread.end(() -> true)).isFalse();
    }
}
