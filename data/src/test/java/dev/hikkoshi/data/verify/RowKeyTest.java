package dev.hikkoshi.data.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.verify.RowDifference.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowKeyTest {
    @Test
    void display_quotesTextLikeSql_andLeavesNumbersAndHexBare() {
        assertThat(RowKey.of("17").display()).isEqualTo("(17)");
        assertThat(RowKey.of("o'brien", "3").display()).isEqualTo("('o''brien', 3)");
        assertThat(RowKey.of("0xDEAD", "-1.50").display()).isEqualTo("(0xDEAD, -1.50)");
    }

    @Test
    void order_isNumericForNumbers_thenTextual() {
        List<RowKey> keys = new ArrayList<>(List.of(RowKey.of("10"), RowKey.of("9"), RowKey.of("b", "2"), RowKey.of("a", "10"),
                RowKey.of("a", "9")));
        keys.sort(null);
        assertThat(keys).containsExactly(RowKey.of("9"), RowKey.of("10"), RowKey.of("a", "9"), RowKey.of("a", "10"),
                RowKey.of("b", "2"));
    }

    @Test
    void differences_describeThemselvesWithoutValues() {
        assertThat(new RowDifference("orders", Kind.CHANGED, RowKey.of("15"), List.of("note", "total")).describe())
                .isEqualTo("changed orders (15): columns note, total");
        assertThat(new RowDifference("orders", Kind.EXTRA, RowKey.of("5001"), List.of()).describe())
                .isEqualTo("extra orders (5001)");
    }

    @Test
    void sampler_judgesUtf8AndCp932_butNotLatin1Text() throws Exception {
        byte[] utf8 = "日本語".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] cp932 = "日本語".getBytes("windows-31j");
        byte[] latin1 = "café Müller".getBytes("windows-1252");
        assertThat(CharsetSampler.judge("t", "c", List.of(utf8, utf8))).map(CharsetSampler.Finding::overrideCharset).contains("utf8mb4");
        assertThat(CharsetSampler.judge("t", "c", List.of(cp932))).map(CharsetSampler.Finding::overrideCharset).contains("cp932");
        assertThat(CharsetSampler.judge("t", "c", List.of(latin1, utf8))).isEmpty();
        assertThat(CharsetSampler.judge("t", "c", List.of())).isEmpty();
    }
}
