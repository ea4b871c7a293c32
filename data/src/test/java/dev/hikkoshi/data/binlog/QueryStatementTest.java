package dev.hikkoshi.data.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryStatementTest {
    private static final Set<String> SCOPE = Set.of("shop.orders", "shop.order_items");

    @Test
    void kinds_areRecognisedPastCommentsAndCase() {
        assertThat(QueryStatement.of("BEGIN", "shop").kind()).isEqualTo(QueryStatement.Kind.TRANSACTION_CONTROL);
        assertThat(QueryStatement.of("COMMIT", "shop").kind()).isEqualTo(QueryStatement.Kind.TRANSACTION_CONTROL);
        assertThat(QueryStatement.of("/* app */ alter table orders add x int", "shop").kind()).isEqualTo(QueryStatement.Kind.DDL);
        assertThat(QueryStatement.of("TRUNCATE orders", "shop").kind()).isEqualTo(QueryStatement.Kind.DDL);
        assertThat(QueryStatement.of("insert into orders values (1)", "shop").kind()).isEqualTo(QueryStatement.Kind.DML);
        assertThat(QueryStatement.of("GRANT SELECT ON *.* TO x", "shop").kind()).isEqualTo(QueryStatement.Kind.OTHER);
    }

    @Test
    void touches_namesTheInScopeTable_qualifiedOrByDefaultSchema() {
        assertThat(QueryStatement.of("ALTER TABLE `orders` ADD c INT", "shop").touches(SCOPE)).hasValue("shop.orders");
        assertThat(QueryStatement.of("ALTER TABLE shop.order_items ADD c INT", "other").touches(SCOPE))
                .hasValue("shop.order_items");
        assertThat(QueryStatement.of("RENAME TABLE `shop`.`orders` TO old_orders", "").touches(SCOPE)).hasValue("shop.orders");
        assertThat(QueryStatement.of("DROP DATABASE shop", "").touches(SCOPE)).isPresent();
    }

    @Test
    void triggerCreationOrRemoval_isNoSchemaChangeOfItsTable() {
        assertThat(QueryStatement.of("CREATE DEFINER=`` TRIGGER `shop`.`hk_ai_orders` AFTER INSERT ON `shop`.`orders`"
                + " FOR EACH ROW INSERT INTO `hikkoshi`.`change_log` VALUES (NEW.id)", "shop").kind())
                .isEqualTo(QueryStatement.Kind.OTHER);
        assertThat(QueryStatement.of("CREATE DEFINER=`root`@`localhost` TRIGGER t1 BEFORE UPDATE ON orders FOR EACH ROW"
                + " SET NEW.x = 1", "shop").kind()).isEqualTo(QueryStatement.Kind.OTHER);
        assertThat(QueryStatement.of("create or replace trigger t1 after delete on orders for each row set @a = 1", "shop")
                .kind()).isEqualTo(QueryStatement.Kind.OTHER);
        assertThat(QueryStatement.of("DROP TRIGGER IF EXISTS `shop`.`hk_ai_orders`", "shop").kind())
                .isEqualTo(QueryStatement.Kind.OTHER);
        assertThat(QueryStatement.of("CREATE TABLE triggers_log (id INT)", "shop").kind()).isEqualTo(QueryStatement.Kind.DDL);
    }

    @Test
    void touches_ignoresOtherSchemasAndLongerNames() {
        assertThat(QueryStatement.of("ALTER TABLE orders ADD c INT", "other").touches(SCOPE)).isEqualTo(Optional.empty());
        assertThat(QueryStatement.of("ALTER TABLE other.orders ADD c INT", "shop").touches(SCOPE)).isEmpty();
        assertThat(QueryStatement.of("CREATE TABLE orders_archive (id INT)", "shop").touches(SCOPE)).isEmpty();
        assertThat(QueryStatement.of("DROP DATABASE shop2", "").touches(SCOPE)).isEmpty();
    }
}
