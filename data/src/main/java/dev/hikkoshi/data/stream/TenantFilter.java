package dev.hikkoshi.data.stream;

import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.data.capture.ChangeKind;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.copy.RowKey;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.stream.StreamTables.Link;
import dev.hikkoshi.data.stream.StreamTables.StreamTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Decides, change by change in the source's order, which keys of which tables a transaction may have changed
 * for one tenant, and adds them to the stream's pending keys. The source re-read at apply time is what
 * decides each key (it carries the tenant predicate), so the filter only has to never leave a key out; a key
 * it lets in needlessly costs one re-read.
 *
 * <ul>
 *   <li>Tenant-column tables: the change is the tenant's when the before or after image holds the tenant's id
 *   (a row moved between tenants leaves one and enters the other: both streams take it).</li>
 *   <li>Join-path tables: when the before or after value of the first hop's column is a key of the tenant's
 *   parent rows (for a text column, equal under its collation: {@link CollationKeys}). That set is read from the
 *   source when the stream starts and grows with the stream in event
 *   order, so a child whose parent was inserted earlier in the same transaction is judged correctly. It never
 *   shrinks: a parent that left the tenant keeps its children candidates (a re-read, never a wrong answer).</li>
 *   <li>Changes without images (trigger change log, differential) are candidates whatever their tenant.</li>
 *   <li>Links: when a row of the tenant that children refer to is deleted, re-keyed or leaves or enters the
 *   tenant, its children (join path, or a foreign key with CASCADE/SET NULL, whose cascaded changes no capture
 *   sees) are read by the old value on the source and the target, by the new value on the source, and marked;
 *   their own children likewise.</li>
 * </ul>
 */
final class TenantFilter {
    private static final int MAX_LINK_DEPTH = 6;
    private static final long PENDING_RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final StreamTables tables;
    private final String schemaSource;
    private final String schemaTarget;
    private final String tenantId;
    private final String tenant;
    /** The tenant id as a number when {@link #tenant} is an integer's text, else null ({@link #isTenant}). */
    private final Long tenantNumber;
    /** Text tenant values compared under their column's collation, as the tenant predicate compares them. */
    private final CollatedTenantMatch collated;
    /** {@code table.column} (lower case) to the normalized values of the tenant's rows. */
    private final Map<String, Set<String>> parentValues = new HashMap<>();
    /** Join-path tables with a text join column: its collation keys ({@link CollationKeys}), by table identity. */
    private final Map<StreamTable, CollationKeys> collations = new IdentityHashMap<>();
    /** Per collation keys, the keys of the tenant's parent values of that link. */
    private final Map<CollationKeys, Set<String>> parentKeys = new HashMap<>();
    /** Per collation keys, the tenant's parent values whose key could not be read yet, and when last asked. */
    private final Map<CollationKeys, Set<String>> keysPending = new HashMap<>();
    private final Map<CollationKeys, Long> pendingAskedAt = new HashMap<>();
    /** What judging a table's changes needs, worked out at its first change rather than at each (judge's thread). */
    private final Map<StreamTable, Judged> judged = new IdentityHashMap<>();
    /** {@link #decidingColumn} of each table asked about: the capture asks again for every change (capture's thread). */
    private final Map<String, Optional<String>> deciding = new ConcurrentHashMap<>();

    /**
     * A table's column that tells a row's tenant (lower case; null when every row is the tenant's), the parent set's
     * slot for a join path (null for a tenant column), and its key reader.
     */
    private record Judged(String column, String parentSlot, KeyValues.KeyReader keys) {
        static Judged of(StreamTable t) {
            KeyValues.KeyReader keys = new KeyValues.KeyReader(t.source(), t.keyColumns());
            TableClass c = t.scope().tableClass();
            if (c instanceof TableClass.TenantColumn tc) {
                return new Judged(StreamTables.lower(tc.column()), null, keys);
            }
            if (c instanceof TableClass.JoinPath jp) {
                return new Judged(StreamTables.lower(jp.hops().get(0).column()), StreamTables.lower(
                        jp.hops().get(0).referencedTable()) + "." + StreamTables.lower(jp.hops().get(0).referencedColumn()), keys);
            }
            return new Judged(null, null, keys);
        }
    }

    private Judged judged(StreamTable t) {
        return judged.computeIfAbsent(t, Judged::of);
    }

    TenantFilter(StreamTables tables, javax.sql.DataSource source, String sourceSchema, String targetSchema,
                 String tenantId) {
        this.tables = tables;
        this.schemaSource = sourceSchema;
        this.schemaTarget = targetSchema;
        this.tenantId = tenantId;
        this.tenant = KeyValues.normalized(tenantId);
        this.tenantNumber = integer(tenant);
        this.collated = new CollatedTenantMatch(source, tenant);
        for (Link link : tables.joinLinks()) {
            String column = link.parentColumns().get(0);
            String childColumn = link.childColumns().get(0);
            var parent = link.parent().source().column(column);
            var child = link.child().source().column(childColumn);
            if (parent.isEmpty() || child.isEmpty()) {
                continue;
            }
            CollationKeys.of(source, link.child().name() + "." + childColumn, child.get(),
                    link.parent().name() + "." + column, parent.get())
                    .ifPresent(keys -> collations.put(link.child(), keys));
        }
    }

    /** Reads the tenant's parent values of every join link from the source (the copy's state, or later). */
    void load(Connection src) throws SQLException {
        for (Link link : tables.joinLinks()) {
            StreamTable parent = link.parent();
            String column = link.parentColumns().get(0);
            String slot = slot(parent, column);
            CollationKeys keys = collations.get(link.child());
            if (keys != null && keys.available()) {
                try {
                    loadValues(src, link, keys);
                    continue;
                } catch (SQLException e) {
                    src.rollback();
                    if (!CollationKeys.cannotKey(e)) {
                        throw e; // the stream fails visibly rather than lose the keys for good over a passing error
                    }
                    keys.unavailable("the keys of its parent values cannot be read (" + e.getMessage() + ")");
                }
            }
            loadValues(src, link, null);
        }
    }

    /** Reads the tenant's values of {@code link}'s parent column, with their collation keys when {@code keys} is set. */
    private void loadValues(Connection src, Link link, CollationKeys keys) throws SQLException {
        boolean withKeys = keys != null;
        StreamTable parent = link.parent();
        String column = link.parentColumns().get(0);
        String slot = slot(parent, column);
        Set<String> values = parentValues.computeIfAbsent(slot, k -> new HashSet<>());
        String predicate = parent.scope().tenantPredicate(schemaSource, "r").orElse("1 = 1");
        String value = quote("r") + "." + quote(column);
        String sql = "SELECT DISTINCT " + value + (withKeys ? ", " + keys.keyExpression(value) : "") + " FROM "
                + qualified(schemaSource, parent.source().name()) + " " + quote("r") + " WHERE " + predicate;
        try (PreparedStatement ps = src.prepareStatement(sql)) {
            if (parent.scope().tenantPredicate(schemaSource, "r").isPresent()) {
                ps.setString(1, tenantId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(KeyValues.normalized(rs.getString(1)));
                    if (withKeys && rs.getString(1) != null && rs.getString(2) != null) {
                        parentKeys.computeIfAbsent(keys, k -> new HashSet<>()).add(rs.getString(2));
                        keys.known(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        src.commit();
    }

    /** Adds to {@code pending} every key of the tenant that {@code tx} may have changed. */
    void judge(ChangeTransaction tx, Connection src, Connection tgt, Map<StreamTable, Set<RowKey>> pending)
            throws SQLException {
        for (RowChange change : tx.changes()) {
            var found = tables.table(change.table());
            if (found.isEmpty()) {
                continue;
            }
            StreamTable t = found.get();
            Boolean before = member(t, change.before());
            Boolean after = member(t, change.after());
            boolean keyOnly = change.kind() == ChangeKind.DIFFERS || (change.before().isEmpty() && change.after().isEmpty());
            boolean relevant = keyOnly || !Boolean.FALSE.equals(before) || !Boolean.FALSE.equals(after);
            if (relevant) {
                KeyValues.KeyReader keys = judged(t).keys();
                mark(pending, t, keys.key(change.key()));
                if (!keys.sameKey(change.key(), change.before())) {
                    mark(pending, t, keys.key(change.before()));
                }
            }
            for (Link link : tables.childrenOf(t)) {
                // A join child follows its parent's tenant; a cascading foreign key reaches children of any
                // tenant, so another tenant's parent (a customer moved away, then deleted) still counts.
                if (!relevant && link.join()) {
                    continue;
                }
                Map<String, Object> oldValues = values(change.before(), link.parentColumns());
                Map<String, Object> newValues = values(change.after(), link.parentColumns());
                if (keyOnly) {
                    // No images: the key may hold the link's columns; then children of that value are candidates.
                    Map<String, Object> fromKey = values(change.key(), link.parentColumns());
                    children(link, fromKey, src, tgt, pending, true, true, 0);
                    continue;
                }
                boolean rekeyed = change.kind() == ChangeKind.UPDATE && !sameValues(oldValues, newValues);
                boolean moved = change.kind() == ChangeKind.DELETE || rekeyed
                        || (link.join() && !Objects.equals(before, after));
                if (!moved) {
                    continue;
                }
                children(link, oldValues, src, tgt, pending, true, true, 0);
                if (change.kind() == ChangeKind.UPDATE) {
                    children(link, newValues, src, tgt, pending, true, false, 0);
                }
            }
            if (!relevant) {
                continue;
            }
            if (Boolean.TRUE.equals(after) || (after == null && !change.after().isEmpty())) {
                remember(t, change.after());
            }
        }
    }

    /**
     * The tenant column of {@code table} (lower case) when that column alone decides that {@link #judge} takes
     * nothing from a change (see {@link #ignores}): a tenant-column table none of whose links cascades (a
     * cascading foreign key reaches children of any tenant). Empty for every other table, whose changes must all
     * be judged: a join-path table's tenant depends on the parent sets, which grow in event order on the judging
     * thread. Reads only what the constructor fixed, so the capture's thread may call it.
     */
    Optional<String> decidingColumn(String table) {
        return deciding.computeIfAbsent(table, this::decidingColumnOf);
    }

    private Optional<String> decidingColumnOf(String table) {
        Optional<StreamTable> found = tables.table(table);
        if (found.isEmpty() || !(found.get().scope().tableClass() instanceof TableClass.TenantColumn tc)) {
            return Optional.empty();
        }
        if (tables.childrenOf(found.get()).stream().anyMatch(link -> !link.join())) {
            return Optional.empty();
        }
        return Optional.of(StreamTables.lower(tc.column()));
    }

    /**
     * True when neither image of a change of {@code table} (each holding at least the {@link #decidingColumn}, or
     * empty when absent) is the tenant's: {@link #judge} would mark no key, no child and no parent value for it.
     */
    boolean ignores(String table, Map<String, Object> before, Map<String, Object> after) {
        if (before.isEmpty() && after.isEmpty()) {
            return false; // no images: judged by its key, whatever its tenant
        }
        Optional<String> column = decidingColumn(table);
        if (column.isEmpty()) {
            return false;
        }
        StreamTable t = tables.table(table).orElseThrow();
        return !ofTenant(t, column.get(), before) && !ofTenant(t, column.get(), after);
    }

    /** As {@link #member} for a tenant-column table: an empty image is not the tenant's, a missing column may be. */
    private boolean ofTenant(StreamTable t, String column, Map<String, Object> image) {
        if (image.isEmpty()) {
            return false;
        }
        Object value = image.get(column);
        if (value == null && !image.containsKey(column)) {
            return true;
        }
        return isTenant(t, column, value);
    }

    /**
     * The changes of {@code tx} made to the tenant's rows themselves (before or after image of the tenant, or no
     * images to tell), in order, keeping the parent sets up to date; cascaded children are not listed (the
     * parent's change is). Used by the bypass-write watch.
     */
    List<RowChange> tenantChanges(ChangeTransaction tx) {
        List<RowChange> out = new ArrayList<>();
        for (RowChange change : tx.changes()) {
            var found = tables.table(change.table());
            if (found.isEmpty()) {
                continue;
            }
            StreamTable t = found.get();
            Boolean before = member(t, change.before());
            Boolean after = member(t, change.after());
            if (!Boolean.FALSE.equals(before) || !Boolean.FALSE.equals(after)) {
                out.add(change);
                if (!Boolean.FALSE.equals(after) && !change.after().isEmpty()) {
                    remember(t, change.after());
                }
            }
        }
        return out;
    }

    /**
     * Marks the target's children of {@code parent}'s rows of {@code goneKeys}, which the batch is about to
     * delete from the target: the source is re-read at apply time, so it may already lack a parent whose
     * cascade the stream has not reached yet; its children must go in the same batch (children first) or they
     * would be left without a parent to be found by.
     */
    void childrenOfGone(StreamTable parent, List<RowKey> goneKeys, Connection src, Connection tgt,
                        Map<StreamTable, Set<RowKey>> pending) throws SQLException {
        if (goneKeys.isEmpty()) {
            return;
        }
        for (Link link : tables.childrenOf(parent)) {
            for (Map<String, Object> values : parent.sync().targetValues(tgt, goneKeys, link.parentColumns())) {
                children(link, values, src, tgt, pending, false, true, 0);
            }
        }
    }

    /** TRUE/FALSE when the image says whether the row is the tenant's, null when it cannot tell. */
    private Boolean member(StreamTable t, Map<String, Object> image) {
        if (image.isEmpty()) {
            return Boolean.FALSE;
        }
        Judged j = judged(t);
        if (j.column() == null) {
            return Boolean.TRUE;
        }
        Object value = image.get(j.column());
        if (value == null && !image.containsKey(j.column())) {
            return null;
        }
        if (j.parentSlot() == null) {
            return Boolean.valueOf(isTenant(t, j.column(), value));
        }
        Set<String> values = parentValues.get(j.parentSlot());
        if (values == null) {
            return null; // the parent table is not carried by this stream: cannot exclude
        }
        if (values.contains(KeyValues.normalized(value))) {
            return Boolean.TRUE;
        }
        CollationKeys keys = collations.get(t);
        return keys == null ? Boolean.FALSE : collatedMember(keys, value);
    }

    /**
     * Whether a join value that is not one of the tenant's parent values still equals one under the text column's
     * collation (a child written {@code 'acme-1 '} of parent {@code 'ACME-1'}), as the copy's join and the re-read
     * take it: TRUE or FALSE by the collation keys, null (may be) when a key could not be read.
     */
    private Boolean collatedMember(CollationKeys keys, Object value) {
        if (!keys.available() || !(value instanceof String text)) {
            return Boolean.FALSE;
        }
        Optional<String> key = keys.key(text);
        if (key.isEmpty()) {
            return keys.available() ? null : Boolean.FALSE;
        }
        if (parentKeys.getOrDefault(keys, Set.of()).contains(key.get())) {
            return Boolean.TRUE;
        }
        Set<String> pending = keysPending.get(keys);
        if (pending == null) {
            return Boolean.FALSE;
        }
        // Asked again at most every few seconds: each is a round trip on the judging thread.
        if (System.nanoTime() - pendingAskedAt.getOrDefault(keys, 0L) > PENDING_RETRY_NANOS) {
            pendingAskedAt.put(keys, System.nanoTime());
            pending.removeIf(v -> {
                Optional<String> k = keys.key(v);
                k.ifPresent(found -> parentKeys.computeIfAbsent(keys, x -> new HashSet<>()).add(found));
                return k.isPresent() || !keys.available();
            });
            if (pending.isEmpty()) {
                keysPending.remove(keys);
            }
        }
        return parentKeys.getOrDefault(keys, Set.of()).contains(key.get()) ? Boolean.TRUE
                : keysPending.containsKey(keys) ? null : Boolean.FALSE;
    }

    /**
     * Whether a tenant column's value is the tenant's: {@code tenant.equals(normalized(value))}, with an integer
     * compared as a number instead of made a String first (the binlog tailer asks twice for each of the 12,000
     * changes of bench/sync.sh's change), and other text compared under the column's collation.
     */
    private boolean isTenant(StreamTable t, String column, Object value) {
        if (tenantNumber != null && (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte)) {
            return ((Number) value).longValue() == tenantNumber;
        }
        String text = KeyValues.normalized(value);
        if (text == null || tenant.equals(text)) {
            return text != null;
        }
        if (!(value instanceof String s)) {
            return false;
        }
        var found = t.source().column(column);
        return found.isEmpty() || collated.matches(found.get(), s);
    }

    /** The value of an integer's canonical text ({@code 42}, {@code -7}), or null for any other text. */
    private static Long integer(String text) {
        try {
            long value = Long.parseLong(text);
            return Long.toString(value).equals(text) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The tenant's row {@code image} of {@code t}: its values referred to by join children join the sets. */
    private void remember(StreamTable t, Map<String, Object> image) {
        for (Link link : tables.joinLinks()) {
            if (link.parent() == t) {
                Object v = image.get(StreamTables.lower(link.parentColumns().get(0)));
                if (v != null) {
                    String slot = slot(t, link.parentColumns().get(0));
                    parentValues.computeIfAbsent(slot, k -> new HashSet<>()).add(KeyValues.normalized(v));
                    rememberKey(collations.get(link.child()), v);
                }
            }
        }
    }

    /** Adds the collation key of a tenant's parent value to the keys of the links that compare it by {@code keys}. */
    private void rememberKey(CollationKeys keys, Object value) {
        if (keys == null || !keys.available() || !(value instanceof String text)) {
            return;
        }
        Optional<String> key = keys.key(text);
        if (key.isPresent()) {
            parentKeys.computeIfAbsent(keys, k -> new HashSet<>()).add(key.get());
        } else if (keys.available()) {
            keysPending.computeIfAbsent(keys, k -> new HashSet<>()).add(text);
        }
    }

    /**
     * Marks the children of {@code link} whose columns hold {@code values}, read from the source and/or the
     * target, and their own children; children read from the source join the parent sets.
     */
    private void children(Link link, Map<String, Object> values, Connection src, Connection tgt,
                          Map<StreamTable, Set<RowKey>> pending, boolean fromSource, boolean fromTarget, int depth)
            throws SQLException {
        if (values.isEmpty() || values.containsValue(null) || depth > MAX_LINK_DEPTH) {
            return;
        }
        StreamTable child = link.child();
        List<Link> grandLinks = tables.childrenOf(child);
        List<String> extra = new ArrayList<>();
        grandLinks.forEach(l -> l.parentColumns().forEach(c -> {
            if (!extra.contains(c) && !child.keyColumns().contains(c)) {
                extra.add(c);
            }
        }));
        List<String> columns = new ArrayList<>(child.keyColumns());
        columns.addAll(extra);
        String where = link.childColumns().stream().map(c -> quote(c) + " = ?").collect(Collectors.joining(" AND "));
        for (int side = 0; side < 2; side++) {
            if ((side == 0 && !fromSource) || (side == 1 && !fromTarget)) {
                continue;
            }
            Connection c = side == 0 ? src : tgt;
            String schema = side == 0 ? schemaSource : schemaTarget;
            String sql = "SELECT " + columns.stream().map(col -> "CONCAT(" + quote(col) + ")").collect(Collectors.joining(", "))
                    + " FROM " + qualified(schema, child.source().name()) + " WHERE " + where;
            List<Map<String, Object>> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (String pc : link.parentColumns()) {
                    ps.setString(i++, KeyValues.normalized(values.get(StreamTables.lower(pc))));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int k = 0; k < columns.size(); k++) {
                            row.put(StreamTables.lower(columns.get(k)), rs.getString(k + 1));
                        }
                        rows.add(row);
                    }
                }
            }
            for (Map<String, Object> row : rows) {
                mark(pending, child, KeyValues.key(child.source(), child.keyColumns(), row));
                if (side == 0) {
                    remember(child, row);
                }
                for (Link grand : grandLinks) {
                    children(grand, values(row, grand.parentColumns()), src, tgt, pending, side == 0, side == 1, depth + 1);
                }
            }
        }
    }

    private static Map<String, Object> values(Map<String, Object> image, List<String> columns) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String c : columns) {
            String lower = StreamTables.lower(c);
            if (!image.containsKey(lower)) {
                return Map.of();
            }
            out.put(lower, image.get(lower));
        }
        return out;
    }

    private static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            if (!Objects.equals(KeyValues.normalized(e.getValue()), KeyValues.normalized(b.get(e.getKey())))) {
                return false;
            }
        }
        return true;
    }

    static void mark(Map<StreamTable, Set<RowKey>> pending, StreamTable t, java.util.Optional<RowKey> key) {
        key.ifPresent(k -> pending.computeIfAbsent(t, x -> new LinkedHashSet<>()).add(k));
    }

    private static String slot(StreamTable t, String column) {
        return StreamTables.lower(t.name()) + "." + StreamTables.lower(column);
    }
}
