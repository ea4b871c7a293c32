package dev.hikkoshi.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class TenantDataMoveIT {
    @Test
    void run_copiesOnlyTheTenantsRows_verifiesThemEqual_andReportsTheFigures(SchemaPair pair) throws Exception {
        pair.source().execute("SET max_recursive_iterations = 100000",
                "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, total DECIMAL(10,2),"
                        + " note VARCHAR(40), KEY (tenant_id))",
                "CREATE TABLE notes (tenant_id INT NOT NULL, seq INT NOT NULL, body TEXT, PRIMARY KEY (tenant_id, seq))",
                "CREATE TABLE countries (code CHAR(2) NOT NULL PRIMARY KEY)",
                "INSERT INTO orders WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                        + " SELECT i, i % 3, i * 1.5, CONCAT('注文 ', i) FROM n",
                "INSERT INTO notes VALUES (1, 1, 'a'), (1, 2, NULL), (2, 1, 'b')",
                "INSERT INTO countries VALUES ('JP')");

        TenantDataMove.Figures figures = TenantDataMove.run(pair.source(), pair.target(), "tenant_id", "1", "acme");

        assertThat(figures.tables()).isEqualTo(2);
        assertThat(figures.rowsCopied()).isEqualTo(1002);
        assertThat(figures.rowsVerified()).isEqualTo(1002);
        assertThat(figures.differences()).isZero();
        assertThat(figures.describe()).startsWith("tenant acme: copied 1,002 rows of 2 tables in ").endsWith(" s: equal");
        try (Connection c = pair.target().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM orders WHERE tenant_id <> 1)"
                     + " + (SELECT COUNT(*) FROM notes WHERE tenant_id <> 1), (SELECT COUNT(*) FROM orders)")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
            assertThat(rs.getLong(2)).isEqualTo(1000);
        }
    }
}
