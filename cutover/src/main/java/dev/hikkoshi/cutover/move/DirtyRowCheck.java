package dev.hikkoshi.cutover.move;

import dev.hikkoshi.data.copy.RowKey;
import dev.hikkoshi.data.stream.DirtyKeys;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.data.verify.RowDifference;
import dev.hikkoshi.data.verify.TableToVerify;
import dev.hikkoshi.data.verify.Verifier;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a stream's dirty rows (every row it changed since it was last verified) by key on both sides, and
 * tells the stream which of them are now equal: the background verification of SYNCED and the final one of
 * FINAL_SYNC and ROLLBACK_SYNC, whose cost grows with recent changes, not with the tenant's size.
 */
final class DirtyRowCheck {
    private DirtyRowCheck() {
    }

    /** The dirty rows that differ now; the equal ones are no longer dirty. */
    static List<RowDifference> run(TenantStream stream, Verifier verifier, List<TableToVerify> tables) {
        DirtyKeys.Snapshot seen = stream.dirtyKeys();
        Map<String, Set<RowKey>> dirty = seen.keys();
        List<RowDifference> out = new ArrayList<>();
        for (TableToVerify table : tables) {
            Set<RowKey> keys = dirty.getOrDefault(table.name(), Set.of());
            if (keys.isEmpty()) {
                continue;
            }
            List<dev.hikkoshi.data.verify.RowKey> asText = keys.stream().map(DirtyRowCheck::text).toList();
            List<RowDifference> differences = verifier.recheck(table, asText);
            out.addAll(differences);
            Set<dev.hikkoshi.data.verify.RowKey> differing = new HashSet<>();
            differences.forEach(d -> differing.add(d.key()));
            Set<RowKey> equal = new HashSet<>();
            for (RowKey k : keys) {
                if (!differing.contains(text(k))) {
                    equal.add(k);
                }
            }
            stream.verified(seen, table.name(), equal);
        }
        return out;
    }

    /**
     * A copy key (the server's raw bytes) as verification's text key: UTF-8 text as it is (numbers, dates and
     * text keys), anything else as {@code 0x} hex, which verification binds back as bytes.
     */
    static dev.hikkoshi.data.verify.RowKey text(RowKey key) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            byte[] v = key.value(i);
            values.add(utf8(v));
        }
        return new dev.hikkoshi.data.verify.RowKey(values);
    }

    private static String utf8(byte[] v) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(v)).toString();
            if (!s.startsWith("0x") && s.chars().noneMatch(ch -> ch < 0x20)) {
                return s;
            }
        } catch (CharacterCodingException e) {
            // not text: hex below
        }
        return "0x" + HexFormat.of().formatHex(v);
    }
}
