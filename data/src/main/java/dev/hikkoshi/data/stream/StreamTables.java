package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.copy.KeySync;
import dev.hikkoshi.data.schema.ForeignKey;
import dev.hikkoshi.data.schema.ReferentialAction;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.core.UserException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The per-tenant tables a stream carries, each with its key sync, and the links between them that make a
 * change of one row concern rows of another: join paths ({@code order_items.order_id -> orders.id}: an order
 * that enters, leaves or changes key moves its items along) and foreign keys with ON DELETE/UPDATE CASCADE or
 * SET NULL (cascaded changes are not in the binlog nor seen by triggers). Built once per stream.
 */
final class StreamTables {
    /** One table: scope, key columns, depth in its join path (0 for a tenant column), and its key sync. */
    record StreamTable(TableScope scope, List<String> keyColumns, int depth, KeySync sync) {
        String name() {
            return scope.name();
        }

        /**
         * By table name: the record's own hash walks the whole inspected table (every column, index, foreign key)
         * and the stream hashes a StreamTable for each row change it judges (10,000 times for bench/sync.sh's
         * 1% change). Equal tables have equal names, so this agrees with the record's generated equals.
         */
        @Override
        public int hashCode() {
            return scope.name().hashCode();
        }

        Table source() {
            return scope.table();
        }
    }

    /**
     * {@code child.childColumns} refers to {@code parent.parentColumns}; {@code join} when it is the child's join
     * path (the child belongs to the parent's tenant), else a foreign key that cascades.
     */
    record Link(StreamTable child, List<String> childColumns, StreamTable parent, List<String> parentColumns,
                boolean join) {
    }

    private final Map<String, StreamTable> byName = new LinkedHashMap<>();
    private final List<Link> links = new ArrayList<>();
    /* Fixed once the constructor has found the links: the filter asks for them at every row change. */
    private final Map<StreamTable, List<Link>> childrenByParent = new IdentityHashMap<>();
    private final List<Link> joinLinks;
    private final boolean targetOrphansDeletable;

    /** A tenant's tables, for reading only (the bypass-write watch judges changes with them, and writes nothing). */
    StreamTables(TenantScope scope, Schema targetSchema, CopyEndpoint source, CopyEndpoint target, String tenantId,
                 CharsetOverrides overrides) {
        this(scope.perTenantTables(), targetSchema, source, target, tenantId, overrides, false);
    }

    /**
     * The stream tables of {@code carried}: a tenant's tables, or the shared tables one site writes.
     * {@code targetOrphansDeletable}: whether a join-path row of the target whose parent the target lacks may be
     * deleted when its key is gone from the source ({@link KeySync}'s orphan hop). True only for a forward stream,
     * whose target is the new site its copy filled; a reverse stream's target is the old site, whose parentless
     * rows are its application's, whatever key a change of the tenant's happens to mark.
     */
    StreamTables(List<TableScope> carried, Schema targetSchema, CopyEndpoint source, CopyEndpoint target, String tenantId,
                 CharsetOverrides overrides, boolean targetOrphansDeletable) {
        this.targetOrphansDeletable = targetOrphansDeletable;
        for (TableScope t : carried) {
            Table targetTable = targetSchema.table(t.name()).orElseThrow(() -> new UserException("table " + t.name()
                    + " is missing on " + target.describe(),
                    "create it with 'hikkoshi data verify --schema --create-missing -c FILE', then sync again"));
            int depth = t.tableClass() instanceof TableClass.JoinPath jp ? jp.hops().size() : 0;
            Optional<dev.hikkoshi.data.config.JoinHop> firstHop = t.tableClass() instanceof TableClass.JoinPath jp
                    && targetOrphansDeletable ? Optional.of(jp.hops().get(0)) : Optional.empty();
            KeySync sync = new KeySync(source, target, new CopyTable(t.table(), targetTable, t.rowKey(), t::tenantPredicate),
                    Optional.of(tenantId), overrides, firstHop, t.tableClass() instanceof TableClass.TenantColumn);
            byName.put(lower(t.name()), new StreamTable(t, t.rowKey().columns(), depth, sync));
        }
        for (StreamTable child : byName.values()) {
            if (child.scope().tableClass() instanceof TableClass.JoinPath jp) {
                StreamTable parent = byName.get(lower(jp.hops().get(0).referencedTable()));
                if (parent != null) {
                    links.add(new Link(child, List.of(jp.hops().get(0).column()), parent,
                            List.of(jp.hops().get(0).referencedColumn()), true));
                }
            }
            for (ForeignKey fk : child.source().foreignKeys()) {
                StreamTable parent = byName.get(lower(fk.referencedTable()));
                boolean cascades = acts(fk.onDelete()) || acts(fk.onUpdate());
                if (parent != null && cascades && links.stream().noneMatch(l -> l.child() == child && l.parent() == parent
                        && lowerAll(l.childColumns()).equals(lowerAll(fk.columns())))) {
                    links.add(new Link(child, fk.columns(), parent, fk.referencedColumns(), false));
                }
            }
        }
        for (Link l : links) {
            childrenByParent.computeIfAbsent(l.parent(), p -> new ArrayList<>()).add(l);
        }
        childrenByParent.replaceAll((p, l) -> List.copyOf(l));
        joinLinks = links.stream().filter(Link::join).toList();
    }

    private static boolean acts(ReferentialAction action) {
        return action == ReferentialAction.CASCADE || action == ReferentialAction.SET_NULL;
    }

    Optional<StreamTable> table(String name) {
        return Optional.ofNullable(byName.get(lower(name)));
    }

    /** Tables parents first (upserts go in this order; deletes in reverse, children first). */
    List<StreamTable> parentsFirst() {
        return byName.values().stream().sorted(Comparator.comparingInt(StreamTable::depth)).toList();
    }

    List<String> names() {
        return byName.values().stream().map(StreamTable::name).toList();
    }

    /** Links whose parent is {@code parent}. */
    List<Link> childrenOf(StreamTable parent) {
        return childrenByParent.getOrDefault(parent, List.of());
    }

    /** Join links (a child's first hop), whose parent values decide the child's tenant. */
    List<Link> joinLinks() {
        return joinLinks;
    }

    /** Whether the target's parentless join-path rows may be deleted (a forward stream's; see the constructor). */
    boolean targetOrphansDeletable() {
        return targetOrphansDeletable;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static List<String> lowerAll(List<String> names) {
        return names.stream().map(StreamTables::lower).toList();
    }
}
