package dev.hikkoshi.data.verify;

import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.copy.KeySync;
import dev.hikkoshi.data.schema.Column;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code verify --repair}: re-syncs exactly the rows a verification found different through the change
 * streams' apply path ({@link KeySync}: the source rows re-read share-locked, a changed row UPDATEd by key, a
 * missing one INSERTed, an extra one of the tenant DELETEd; never a REPLACE nor a delete-then-insert, which
 * would fire the target's cascades and triggers; no other tenant's row touched, since the reads and the
 * DELETE carry the tenant predicate). Every repair transaction carries hikkoshi's write marker. Then the
 * same keys are compared again.
 */
public final class RowRepairer {
    private static final Logger log = LoggerFactory.getLogger(RowRepairer.class);

    /** What a repair did: rows re-copied per table, and the differences left among those keys (none if it worked). */
    public record Result(Map<String, Long> rowsCopied, int keysRepaired, List<RowDifference> remaining) {
        public Result {
            rowsCopied = Map.copyOf(rowsCopied);
            remaining = List.copyOf(remaining);
        }
    }

    private final Verifier verifier;
    private final CopyEndpoint source;
    private final CopyEndpoint target;

    public RowRepairer(Verifier verifier, CopyEndpoint source, CopyEndpoint target) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
    }

    /** Repairs every difference of {@code report} among {@code tables} and re-verifies those rows. */
    public Result repair(List<TableToVerify> tables, VerifyReport report) {
        return repair(tables, report.differences());
    }

    /** Repairs the rows of {@code differences} among {@code tables} and re-verifies those rows. */
    public Result repair(List<TableToVerify> tables, List<RowDifference> differences) {
        Map<String, Long> copied = new java.util.LinkedHashMap<>();
        List<RowDifference> remaining = new ArrayList<>();
        int keys = 0;
        for (TableToVerify table : tables) {
            List<RowKey> differing = differences.stream().filter(d -> d.table().equals(table.name()))
                    .map(RowDifference::key).toList();
            if (differing.isEmpty()) {
                continue;
            }
            CharsetOverrides overrides = (t, column) -> table.sourceCharsetOverrides().entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(column)).map(Map.Entry::getValue).findFirst();
            KeySync sync = new KeySync(source, target,
                    new CopyTable(table.source(), table.target(), table.key(), table.rows()), table.tenantId(), overrides);
            List<dev.hikkoshi.data.copy.RowKey> copyKeys = differing.stream().map(k -> copyKey(table, k)).toList();
            long rows = sync.sync(copyKeys, "repair:" + source.schema() + "/" + table.tenantId().orElse("*")).read();
            copied.put(table.name(), rows);
            keys += differing.size();
            log.info("repaired {} rows of table {} ({} read from the source)", differing.size(), table.name(), rows);
            remaining.addAll(verifier.recheck(table, differing));
        }
        return new Result(copied, keys, remaining);
    }

    /**
     * The copy's form of a key: text keys as bytes in the source column's charset (verification reads them
     * converted to utf8mb4), binary keys as their bytes, numbers and dates as their text.
     */
    static dev.hikkoshi.data.copy.RowKey copyKey(TableToVerify table, RowKey key) {
        List<byte[]> values = new ArrayList<>();
        List<String> columns = table.key().columns();
        for (int i = 0; i < columns.size(); i++) {
            Column column = table.source().column(columns.get(i)).orElseThrow();
            String value = key.values().get(i);
            ColumnKind kind = ColumnKind.of(column);
            if (kind.binary()) {
                values.add(HexFormat.of().parseHex(value.substring(2)));
            } else if (column.textual()) {
                String charset = table.sourceCharsetOverrides().entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase(column.name())).map(Map.Entry::getValue).findFirst()
                        .or(column::charset).orElse("utf8mb4");
                values.add(value.getBytes(javaCharset(charset)));
            } else {
                values.add(value.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return dev.hikkoshi.data.copy.RowKey.ofBytes(values);
    }

    /** Java's name for a MySQL charset; MySQL's latin1 is Windows-1252, its sjis/cp932 Windows-31J. */
    static Charset javaCharset(String mysql) {
        return switch (mysql.toLowerCase(Locale.ROOT)) {
            case "latin1" -> Charset.forName("windows-1252");
            case "cp932", "sjis" -> Charset.forName("windows-31j");
            case "ujis", "eucjpms" -> Charset.forName("EUC-JP");
            case "ascii" -> StandardCharsets.US_ASCII;
            default -> StandardCharsets.UTF_8;
        };
    }
}
