package dev.hikkoshi.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TenantIdTest {

    @Test
    void isValid_agreesWithThePatternOnEdgeCasesAndRandomNames() {
        List<String> names = new ArrayList<>(List.of("", "a", "A", "0", "_a", ".a", "-a", "a_b.c-d", "a b",
                "a/b", "é", "aé", "a\u0000", "a".repeat(63), "a".repeat(64), "Z9", "a:", "a@", "a`", "a[", "a{"));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(66);
            for (int j = 0; j < length; j++) {
                s.append((char) (random.nextInt(10) == 0 ? random.nextInt(0x300) : 0x20 + random.nextInt(0x5f)));
            }
            names.add(s.toString());
        }
        for (String name : names) {
            assertThat(TenantId.isValid(name)).as(name).isEqualTo(TenantId.VALID.matcher(name).matches());
        }
        assertThat(TenantId.isValid(null)).isFalse();
    }

    @Test
    void constructor_rejectsAnInvalidName() {
        assertThatThrownBy(() -> TenantId.of("a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid tenant name: a b (expected: 1 to 63 letters, digits, '_', '.' or '-',"
                        + " starting with a letter or digit)");
        assertThat(TenantId.of("acme").value()).isEqualTo("acme");
    }
}
