package dev.hikkoshi.data.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.copy.TenantRows;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.verify.RowDifference.Kind;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.LegacyLikeSource;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** latin1 columns on a legacy-like source: real latin1 text, and UTF-8 or cp932 bytes stored in latin1. */
@ExtendWith(FreshSchemaExtension.class)
@LegacyLikeSource
@Timeout(120)
class LegacyCharsetIT {
    static void load(SchemaPair pair) {
        pair.source().execute("CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) CHARACTER SET latin1,"
                        + " utf8_note VARCHAR(40) CHARACTER SET latin1, sjis_note TEXT CHARACTER SET latin1) DEFAULT CHARSET=latin1",
                // 日本語 as UTF-8 bytes and as cp932 bytes, stored as they are in latin1 columns.
                "INSERT INTO notes VALUES (1, 'café Müller', X'E697A5E69CACE8AA9E', X'93FA967B8CEA'),"
                        + " (2, 'plain', X'E38193E38293', X'82B182F1'), (3, NULL, '', NULL)");
        pair.target().execute("CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, name VARCHAR(40), utf8_note VARCHAR(40),"
                        + " sjis_note TEXT) DEFAULT CHARSET=utf8mb4",
                "INSERT INTO notes VALUES (1, 'café Müller', '日本語', '日本語'), (2, 'plain', 'こん', 'こん'), (3, NULL, '', NULL)");
    }

    static TableToVerify notes(Sides sides, Map<String, String> sourceOverrides) {
        Table s = sides.sourceSchema.table("notes").orElseThrow();
        return new TableToVerify(s, sides.targetSchema.table("notes").orElseThrow(), s.rowKey().orElseThrow(),
                TenantRows.ALL, Optional.empty(), sourceOverrides, Map.of());
    }

    @Test
    void latin1Text_equalsItsUtf8mb4Copy_andOverridesReadUtf8AndCp932Bytes(SchemaPair pair) throws Exception {
        load(pair);
        Sides sides = new Sides(pair);
        assertThat(Sides.rows(pair.source(), "SELECT HEX(name) FROM notes WHERE id = 1")).containsExactly("636166E9204DFC6C6C6572");
        Verifier verifier = sides.verifier(100);

        assertThat(verifier.verify(List.of(notes(sides, Map.of()))).differences()).containsExactly(
                new RowDifference("notes", Kind.CHANGED, RowKey.of("1"), List.of("utf8_note", "sjis_note")),
                new RowDifference("notes", Kind.CHANGED, RowKey.of("2"), List.of("utf8_note", "sjis_note")));
        assertThat(verifier.verify(List.of(notes(sides, Map.of("utf8_note", "utf8mb4", "sjis_note", "cp932")))).differences())
                .isEmpty();
    }

    @Test
    void sampler_warnsOfUtf8AndCp932BytesInLatin1Columns_only(SchemaPair pair) throws Exception {
        load(pair);
        Sides sides = new Sides(pair);

        List<CharsetSampler.Finding> findings = new CharsetSampler(sides.source)
                .sample(List.of(sides.sourceSchema.table("notes").orElseThrow()), (t, c) -> false);

        assertThat(findings).extracting(CharsetSampler.Finding::describe).containsExactly(
                "column `notes`.`utf8_note` is latin1, but 2 of its 2 sampled non-ASCII values are valid UTF-8:"
                        + " it probably holds UTF-8 bytes",
                "column `notes`.`sjis_note` is latin1, but 2 of its 2 sampled non-ASCII values are valid cp932 (Shift_JIS):"
                        + " it probably holds cp932 (Shift_JIS) bytes");
        assertThat(findings.get(1).hint("legacy")).isEqualTo("if so, add charset-overrides: {notes.sjis_note: cp932} to"
                + " sites.legacy.database, so that copy and verification read its bytes as cp932 (Shift_JIS)");
        assertThat(new CharsetSampler(sides.source).sample(List.of(sides.sourceSchema.table("notes").orElseThrow()),
                (t, c) -> !c.equals("name"))).isEmpty();
    }
}
