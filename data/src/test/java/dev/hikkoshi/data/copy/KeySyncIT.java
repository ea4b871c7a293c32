package dev.hikkoshi.data.copy;

import static dev.hikkoshi.data.copy.CopyFixtures.count;
import static dev.hikkoshi.data.copy.CopyFixtures.endpoint;
import static dev.hikkoshi.data.copy.CopyFixtures.rows;
import static dev.hikkoshi.data.copy.CopyFixtures.table;
import static dev.hikkoshi.data.copy.CopyFixtures.tenantColumn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The key sync writes by key: an UPDATE never fires the target's ON DELETE CASCADE nor its delete trigger (a
 * REPLACE or delete-then-insert would), a missing row is inserted, a row gone from the source is deleted only
 * when it is the tenant's, and a secondary unique-key conflict is reported with table and key.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(60)
class KeySyncIT {
    private static final String CUSTOMERS = "CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL,"
            + " email VARCHAR(80) NOT NULL, name VARCHAR(80) NULL, UNIQUE KEY uk_email (email)) ENGINE=InnoDB";
    private static final String NOTES = "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, customer_id INT NOT NULL,"
            + " body VARCHAR(80), FOREIGN KEY fk_customer (customer_id) REFERENCES customers (id) ON DELETE CASCADE)"
            + " ENGINE=InnoDB";

    @Test
    void sync_updatesByKey_insertsMissing_deletesOnlyTheTenantsGoneRows_andFiresNoCascade(SchemaPair pair) throws Exception {
        pair.source().execute(CUSTOMERS, NOTES,
                "INSERT INTO customers VALUES (1, 1, 'a@x', 'changed'), (2, 1, 'b@x', 'new'), (5, 1, 'e@x', 'same')");
        pair.target().execute(CUSTOMERS, NOTES,
                "CREATE TABLE deleted_log (id INT NOT NULL)",
                "CREATE TRIGGER customers_ad AFTER DELETE ON customers FOR EACH ROW INSERT INTO deleted_log VALUES (OLD.id)",
                "INSERT INTO customers VALUES (1, 1, 'a@x', 'old'), (3, 1, 'c@x', 'gone from source'),"
                        + " (4, 2, 'd@x', 'another tenant'), (5, 1, 'e@x', 'same')",
                "INSERT INTO notes VALUES (10, 1, 'child of 1'), (11, 5, 'child of 5')");
        KeySync sync = tenantOneSync(pair, "customers");

        KeySync.Result r = sync.sync(List.of(RowKey.of(1), RowKey.of(2), RowKey.of(3), RowKey.of(4), RowKey.of(5)), "test");

        assertThat(r).isEqualTo(new KeySync.Result(3, 2, 1, 1));
        assertThat(rows(pair.target(), "customers", "id", "")).containsExactly(
                "1|1|614078|6368616E676564", "2|1|624078|6E6577", "4|2|644078|616E6F746865722074656E616E74",
                "5|1|654078|73616D65");
        // Only the row gone from the source was deleted: its delete trigger fired once, the children stay.
        assertThat(rows(pair.target(), "deleted_log", "id", "")).containsExactly("3");
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM notes")).isEqualTo(2);
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM hikkoshi.write_marker WHERE writer = 'test'")).isEqualTo(1);
    }

    @Test
    void sync_secondaryUniqueKeyConflict_isReportedWithTableAndKey_andTheOtherRowIsUntouched(SchemaPair pair) throws Exception {
        pair.source().execute(CUSTOMERS, "INSERT INTO customers VALUES (7, 1, 'taken@x', 'source')");
        pair.target().execute(CUSTOMERS, "INSERT INTO customers VALUES (8, 2, 'taken@x', 'other tenant')");
        KeySync sync = tenantOneSync(pair, "customers");

        assertThatThrownBy(() -> sync.sync(List.of(RowKey.of(7)), "test"))
                .isInstanceOf(UniqueKeyConflictException.class)
                .hasMessage("unique key conflict in table customers on sandbox target: the source row id=7 cannot be"
                        + " written because another target row has the same value of unique key uk_email");
        assertThat(rows(pair.target(), "customers", "id", "")).containsExactly("8|2|74616B656E4078|6F746865722074656E616E74");
    }
    /**
     * The target's row of a key is another tenant's (the sites gave one key to different rows): the key sync stops
     * with the row named instead of writing the tenant's row over it, and writes nothing of the batch. Both write
     * paths: the one-statement upsert (no secondary unique index) and the batched UPDATEs.
     */
    @Test
    void sync_ofAKeyWhoseTargetRowIsAnotherTenants_isRefusedWithTheRowNamed_andWritesNothing(SchemaPair pair)
            throws Exception {
        String plain = "CREATE TABLE accounts (id INT NOT NULL PRIMARY KEY, tenant_id INT NULL, name VARCHAR(80))"
                + " ENGINE=InnoDB";
        pair.source().execute(CUSTOMERS, plain,
                "INSERT INTO customers VALUES (6, 1, 'new@x', 'source'), (7, 1, 'a@x', 'source')",
                "INSERT INTO accounts VALUES (6, 1, 'source'), (7, 1, 'source')");
        pair.target().execute(CUSTOMERS, plain, "INSERT INTO customers VALUES (7, 2, 'b@x', 'other tenant')",
                "INSERT INTO accounts VALUES (7, 2, 'other tenant')");
        // A row of no tenant (NULL) is not this tenant's either.
        pair.source().execute("INSERT INTO accounts VALUES (8, 1, 'source')");
        pair.target().execute("INSERT INTO accounts VALUES (8, NULL, 'no tenant')");
        KeySync accounts = new KeySync(endpoint(pair.source()), endpoint(pair.target()),
                table(pair.source(), pair.target(), "accounts", tenantColumn("tenant_id")), Optional.of("1"),
                CharsetOverrides.NONE, Optional.empty(), true);
        assertThatThrownBy(() -> accounts.sync(List.of(RowKey.of(8)), "test")).isInstanceOf(OtherTenantRowException.class)
                .hasMessageStartingWith("table accounts on sandbox target has a row id=8 that is not tenant id 1's");
        pair.target().execute("DELETE FROM accounts WHERE id = 8");
        pair.source().execute("DELETE FROM accounts WHERE id = 8");
        for (String table : List.of("customers", "accounts")) {
            KeySync sync = new KeySync(endpoint(pair.source()), endpoint(pair.target()),
                    table(pair.source(), pair.target(), table, tenantColumn("tenant_id")), Optional.of("1"),
                    CharsetOverrides.NONE, Optional.empty(), true);

            assertThatThrownBy(() -> sync.sync(List.of(RowKey.of(6), RowKey.of(7)), "test"))
                    .isInstanceOf(OtherTenantRowException.class)
                    .hasMessage("table " + table + " on sandbox target has a row id=7 that is not tenant id 1's"
                            + " (another tenant's, or no tenant's): the tenant's row with that key is not written over it");
            assertThat(count(pair.target(), "SELECT COUNT(*) FROM " + table)).as(table).isEqualTo(1);
            assertThat(count(pair.target(), "SELECT COUNT(*) FROM " + table + " WHERE id = 7 AND tenant_id = 2"
                    + " AND name = 'other tenant'")).as(table).isEqualTo(1);
        }
    }

    @Test
    void sync_manyKeys_writesThemInBatches_updatingInsertingAndDeletingEachOnce(SchemaPair pair) throws Exception {
        pair.source().execute(CUSTOMERS, "INSERT INTO customers SELECT seq, 1, CONCAT('c', seq, '@x'), CONCAT('v2 ', seq)"
                + " FROM seq_1_to_300");
        // The target has the odd rows in an older version, and ten rows of the tenant the source no longer has.
        pair.target().execute(CUSTOMERS, "INSERT INTO customers SELECT seq, 1, CONCAT('c', seq, '@x'), 'v1'"
                + " FROM seq_1_to_310 WHERE seq % 2 = 1 OR seq > 300");
        KeySync sync = tenantOneSync(pair, "customers");
        List<RowKey> keys = keys(310);

        KeySync.Result r = sync.sync(keys, pair.name());

        assertThat(r).isEqualTo(new KeySync.Result(300, 150, 150, 10));
        assertThat(rows(pair.target(), "customers", "id", "")).containsExactlyElementsOf(rows(pair.source(), "customers", "id", ""));
        // 310 keys in transactions of up to 200: two, each with its marker.
        assertThat(count(pair.target(), "SELECT writes FROM hikkoshi.write_marker WHERE writer = '" + pair.name() + "'"))
                .isEqualTo(2);
    }

    @Test
    void sync_conflictInsideABatch_isReportedForItsRowAsAlone_andNothingOfTheBatchIsWritten(SchemaPair pair) throws Exception {
        pair.source().execute(CUSTOMERS, "INSERT INTO customers SELECT seq, 1, CONCAT('c', seq, '@x'), 'new' FROM seq_1_to_50",
                "UPDATE customers SET email = 'taken@x' WHERE id = 30");
        pair.target().execute(CUSTOMERS, "INSERT INTO customers SELECT seq, 1, CONCAT('c', seq, '@x'), 'old' FROM seq_1_to_20",
                "INSERT INTO customers VALUES (99, 2, 'taken@x', 'other tenant')");
        List<String> before = rows(pair.target(), "customers", "id", "");
        KeySync sync = tenantOneSync(pair, "customers");
        List<RowKey> keys = keys(50);

        assertThatThrownBy(() -> sync.sync(keys, "test"))
                .isInstanceOf(UniqueKeyConflictException.class)
                .hasMessage("unique key conflict in table customers on sandbox target: the source row id=30 cannot be"
                        + " written because another target row has the same value of unique key uk_email");
        assertThat(rows(pair.target(), "customers", "id", "")).containsExactlyElementsOf(before);
    }

    @Test
    void sync_uniqueValueHandedOverWithinABatch_isWritten_becauseExistingRowsAreUpdatedBeforeMissingOnesAreInserted(
            SchemaPair pair) throws Exception {
        // On the source, row 2 gave 'x@x' up and the new row 1 took it: written row by row in key order, row 1's
        // INSERT would meet row 2's old value on the target.
        pair.source().execute(CUSTOMERS, "INSERT INTO customers VALUES (1, 1, 'x@x', 'new'), (2, 1, 'y@x', 'renamed')");
        pair.target().execute(CUSTOMERS, "INSERT INTO customers VALUES (2, 1, 'x@x', 'old')");
        KeySync sync = tenantOneSync(pair, "customers");

        KeySync.Result r = sync.sync(List.of(RowKey.of(1), RowKey.of(2)), "test");

        assertThat(r).isEqualTo(new KeySync.Result(2, 1, 1, 0));
        assertThat(rows(pair.target(), "customers", "id", "")).containsExactlyElementsOf(rows(pair.source(), "customers", "id", ""));
    }

    @Test
    void sync_batchOfExistingAndMissingRows_firesUpdateTriggersForUpdatedRowsAndInsertTriggersForInsertedOnesOnly(
            SchemaPair pair) throws Exception {
        pair.source().execute(CUSTOMERS, "INSERT INTO customers SELECT seq, 1, CONCAT('c', seq, '@x'),"
                + " IF(seq % 3 = 0, NULL, CONCAT('v2 ', REPEAT('x', seq % 70))) FROM seq_1_to_250");
        // Even rows exist on the target (those not divisible by 4 already equal to the source's), odd ones are missing.
        pair.target().execute(CUSTOMERS, "INSERT INTO customers SELECT seq, 1, CONCAT('c', seq, '@x'),"
                        + " IF(seq % 4 = 0, 'v1', IF(seq % 3 = 0, NULL, CONCAT('v2 ', REPEAT('x', seq % 70)))) FROM seq_1_to_250"
                        + " WHERE seq % 2 = 0",
                "CREATE TABLE trigger_log (id INT NOT NULL, event VARCHAR(10) NOT NULL)",
                "CREATE TRIGGER customers_bu BEFORE UPDATE ON customers FOR EACH ROW INSERT INTO trigger_log VALUES (OLD.id, 'bu')",
                "CREATE TRIGGER customers_au AFTER UPDATE ON customers FOR EACH ROW INSERT INTO trigger_log VALUES (NEW.id, 'au')",
                "CREATE TRIGGER customers_bi BEFORE INSERT ON customers FOR EACH ROW INSERT INTO trigger_log VALUES (NEW.id, 'bi')",
                "CREATE TRIGGER customers_bd BEFORE DELETE ON customers FOR EACH ROW INSERT INTO trigger_log VALUES (OLD.id, 'bd')");
        KeySync sync = tenantOneSync(pair, "customers");
        List<RowKey> keys = keys(250);

        KeySync.Result r = sync.sync(keys, "test");

        assertThat(r).isEqualTo(new KeySync.Result(250, 125, 125, 0));
        assertThat(rows(pair.target(), "customers", "id", "")).containsExactlyElementsOf(rows(pair.source(), "customers", "id", ""));
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM trigger_log WHERE event = 'bd'")).isZero();
        for (String event : List.of("bu", "au")) {
            assertThat(count(pair.target(), "SELECT COUNT(*) FROM trigger_log WHERE event = '" + event + "'")).isEqualTo(125);
            assertThat(count(pair.target(), "SELECT COUNT(DISTINCT id) FROM trigger_log WHERE event = '" + event
                    + "' AND id % 2 = 0")).isEqualTo(125);
        }
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM trigger_log WHERE event = 'bi'")).isEqualTo(125);
        assertThat(count(pair.target(), "SELECT COUNT(DISTINCT id) FROM trigger_log WHERE event = 'bi' AND id % 2 = 1"))
                .isEqualTo(125);
    }

    private static final String ORDERS = "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL,"
            + " note VARCHAR(80) NULL, blob_value MEDIUMBLOB NULL, KEY idx_tenant (tenant_id)) ENGINE=InnoDB";
    private static final String ITEMS = "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, order_id INT NOT NULL,"
            + " FOREIGN KEY fk_order (order_id) REFERENCES orders (id) ON DELETE CASCADE) ENGINE=InnoDB";

    @Test
    void sync_ofATableWhoseOnlyUniqueIndexIsItsKey_upsertsInOneStatement_withExactCounts_andFiresNoCascade(
            SchemaPair pair) throws Exception {
        pair.source().execute(ORDERS, ITEMS, "INSERT INTO orders SELECT seq, 1, CONCAT('v2 ', seq),"
                + " IF(seq = 7, REPEAT('b', 70000), NULL) FROM seq_1_to_300");
        // The target has the odd rows in an older version (order 1 with a child), and ten the source no longer has.
        pair.target().execute(ORDERS, ITEMS, "INSERT INTO orders SELECT seq, 1, 'v1', NULL FROM seq_1_to_310"
                + " WHERE seq % 2 = 1 OR seq > 300", "INSERT INTO orders VALUES (311, 2, 'another tenant', NULL)",
                "INSERT INTO items VALUES (1, 1)");
        KeySync sync = tenantOneSync(pair, "orders");
        List<RowKey> keys = keys(311);
        long updatesBefore = count(pair.target(), "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = 'COM_UPDATE'");

        KeySync.Result r = sync.sync(keys, "test");

        assertThat(r).isEqualTo(new KeySync.Result(300, 150, 150, 10));
        assertThat(rows(pair.target(), "orders", "id", "tenant_id = 1"))
                .containsExactlyElementsOf(rows(pair.source(), "orders", "id", ""));
        assertThat(rows(pair.target(), "orders", "id", "tenant_id = 2")).hasSize(1);
        // The upsert updated order 1 in place: a delete (REPLACE's way) would have cascaded to its item.
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM items")).isEqualTo(1);
        // One statement per batch, not 150 UPDATEs (other tests' servers may add a few of their own).
        assertThat(count(pair.target(), "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = 'COM_UPDATE'") - updatesBefore).isLessThan(150);
    }

    @Test
    void sync_ofAKeyOnlyTableWithATrigger_writesByTheRowStatements_soItsInsertTriggerFiresForInsertedRowsOnly(
            SchemaPair pair) throws Exception {
        pair.source().execute(ORDERS, "INSERT INTO orders SELECT seq, 1, CONCAT('v2 ', seq), NULL FROM seq_1_to_100");
        pair.target().execute(ORDERS, "INSERT INTO orders SELECT seq, 1, 'v1', NULL FROM seq_1_to_100 WHERE seq % 2 = 0",
                "CREATE TABLE trigger_log (id INT NOT NULL, event VARCHAR(10) NOT NULL)",
                "CREATE TRIGGER orders_bi BEFORE INSERT ON orders FOR EACH ROW INSERT INTO trigger_log VALUES (NEW.id, 'bi')");
        KeySync sync = tenantOneSync(pair, "orders");
        List<RowKey> keys = keys(100);

        assertThat(sync.sync(keys, "test")).isEqualTo(new KeySync.Result(100, 50, 50, 0));

        assertThat(rows(pair.target(), "orders", "id", "")).containsExactlyElementsOf(rows(pair.source(), "orders", "id", ""));
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM trigger_log WHERE event = 'bi' AND id % 2 = 1")).isEqualTo(50);
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM trigger_log")).isEqualTo(50);
    }

    @Test
    void upsertUncounted_ofATableWhoseOnlyUniqueIndexIsItsKey_writesTheRows_withoutLookingUpTheRowsPresent(
            SchemaPair pair) throws Exception {
        pair.source().execute(ORDERS, "INSERT INTO orders SELECT seq, 1, CONCAT('v2 ', seq), NULL FROM seq_1_to_1000");
        pair.target().execute(ORDERS, "INSERT INTO orders SELECT seq, 1, 'v1', NULL FROM seq_1_to_1000 WHERE seq % 2 = 1");
        KeySync sync = tenantOneSync(pair, "orders");
        try (java.sql.Connection src = pair.source().connect(); java.sql.Connection tgt = pair.target().connect()) {
            src.setAutoCommit(false);
            tgt.setAutoCommit(false);
            KeySync.pinSource(src, endpoint(pair.source()));
            KeySync.pinTarget(tgt, endpoint(pair.target()));
            KeySync.SourceRows read = sync.read(src, keys(1000));
            long selectsBefore = sessionSelects(tgt);

            sync.upsertUncounted(tgt, read);

            // The counted upsert looks the keys up 200 at a time first: five SELECTs for these 1,000 rows.
            assertThat(sessionSelects(tgt) - selectsBefore).isZero();
            tgt.commit();
            src.commit();
        }
        assertThat(rows(pair.target(), "orders", "id", "")).containsExactlyElementsOf(rows(pair.source(), "orders", "id", ""));
    }

    @Test
    void deleteGone_withTheOrphanHop_deletesTheTenantsAndParentlessRows_butNoRowWithANullParent(SchemaPair pair)
            throws Exception {
        String orders = "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL) ENGINE=InnoDB";
        String items = "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, order_id INT NULL) ENGINE=InnoDB";
        pair.source().execute(orders, items, "INSERT INTO orders VALUES (1, 1)");
        // The tenant's item 10, item 12 whose order the target lacks (an orphan), item 11 of no order at all.
        pair.target().execute(orders, items, "INSERT INTO orders VALUES (1, 1)",
                "INSERT INTO items VALUES (10, 1), (11, NULL), (12, 99)");
        TenantRows viaOrder = (schema, alias) -> Optional.of("EXISTS (SELECT 1 FROM `" + schema + "`.`orders` `p`"
                + " WHERE `p`.`id` = `" + alias + "`.`order_id` AND `p`.`tenant_id` = ?)");
        KeySync sync = new KeySync(endpoint(pair.source()), endpoint(pair.target()),
                table(pair.source(), pair.target(), "items", viaOrder), Optional.of("1"), CharsetOverrides.NONE,
                Optional.of(new dev.hikkoshi.data.config.JoinHop("order_id", "orders", "id")), false);

        KeySync.Result r = sync.sync(List.of(RowKey.of(10), RowKey.of(11), RowKey.of(12)), "test");

        assertThat(r.deleted()).isEqualTo(2);
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM items WHERE id = 11 AND order_id IS NULL"))
                .as("a NULL parent refers to nothing: no orphan").isEqualTo(1);
        assertThat(count(pair.target(), "SELECT COUNT(*) FROM items")).isEqualTo(1);
    }

    /** The SELECTs this connection's session has run (SHOW STATUS is not one of them). */
    private static long sessionSelects(java.sql.Connection c) throws java.sql.SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Com_select'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** The key sync of tenant 1's rows of {@code table} (tenant column {@code tenant_id}) between the pair. */
    private static KeySync tenantOneSync(SchemaPair pair, String table) throws java.sql.SQLException {
        return new KeySync(endpoint(pair.source()), endpoint(pair.target()),
                table(pair.source(), pair.target(), table, tenantColumn("tenant_id")), Optional.of("1"),
                CharsetOverrides.NONE);
    }

    /** The keys 1 to {@code last}. */
    private static List<RowKey> keys(int last) {
        return java.util.stream.IntStream.rangeClosed(1, last).mapToObj(RowKey::of).toList();
    }
}
