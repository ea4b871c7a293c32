package dev.hikkoshi.data.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A row image reads as the LinkedHashMap it replaces: order, nulls, equality, text; deferred values decoded. */
class RowImageTest {
    private static final RowImage.Columns COLUMNS = new RowImage.Columns(List.of("id", "note", "at"));

    @Test
    void image_readsLikeALinkedHashMap_withDeferredValuesDecodedAtEachRead() {
        int[] decodings = {0};
        RowImage.Deferred at = () -> {
            decodings[0]++;
            return "2024-02-29 23:59:59";
        };
        RowImage image = new RowImage(COLUMNS, new Object[] {42L, null, at});
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 42L);
        expected.put("note", null);
        expected.put("at", "2024-02-29 23:59:59");

        assertThat(image.get("at")).isEqualTo("2024-02-29 23:59:59");
        assertThat(image.get("note")).isNull();
        assertThat(image.containsKey("note")).isTrue();
        assertThat(image.containsKey("missing")).isFalse();
        assertThat(image.get("missing")).isNull();
        assertThat(image).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(image.toString()).isEqualTo("{id=42, note=null, at=2024-02-29 23:59:59}").isEqualTo(expected.toString());
        assertThat(new LinkedHashMap<>(image)).containsExactlyEntriesOf(expected);
        assertThat(decodings[0]).isGreaterThanOrEqualTo(4);
    }

    @Test
    void image_isImmutable_andRowChangeKeepsIt() {
        RowImage image = new RowImage(COLUMNS, new Object[] {1L, "x", null});
        assertThatThrownBy(() -> image.put("id", 2L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> image.entrySet().iterator().next().setValue(2L))
                .isInstanceOf(UnsupportedOperationException.class);

        RowChange change = new RowChange("orders", ChangeKind.UPDATE, image, image, image);
        assertThat(change.after()).isSameAs(image);
        assertThat(change.named("shop.orders").after()).isSameAs(image);
        Map<String, Object> plain = new LinkedHashMap<>(Map.of("id", 1L));
        RowChange copied = new RowChange("orders", ChangeKind.INSERT, plain, Map.of(), plain);
        plain.put("id", 2L);
        assertThat(copied.key()).isEqualTo(Map.of("id", 1L));
        assertThat(copied.before()).isEmpty();
    }

    @Test
    void columns_namedTwice_areRefused() {
        assertThatThrownBy(() -> new RowImage.Columns(List.of("id", "id")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column id is named twice in [id, id]");
    }
}
