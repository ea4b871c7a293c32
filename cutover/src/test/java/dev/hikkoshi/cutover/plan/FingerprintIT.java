package dev.hikkoshi.cutover.plan;

import static dev.hikkoshi.cutover.plan.PlanFixture.CLOUD;
import static dev.hikkoshi.cutover.plan.PlanFixture.T1;
import static dev.hikkoshi.cutover.plan.PlanFixture.T2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint a plan keeps, read again as the controller reads it before adopting the plan (its own open
 * databases, over real MariaDB servers): the same world has no differences; a column added on one site, a tenant
 * placed elsewhere and a tenant grown past the tolerance are each named in one line.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class FingerprintIT {
    @TempDir
    Path dir;

    @Test
    void thePlansFingerprint_readAgain_namesEachChange_andNothingElse(SchemaPair pair) throws Exception {
        try (PlanFixture f = new PlanFixture(pair, dir, "binlog", "5s")) {
            Fingerprint assumed;
            try (Planner planner = f.planner()) {
                assumed = planner.plan(Optional.of(ThroughputSample.given(1000, 1e9)), PlannerIT.NO_ROUTERS).fingerprint();
            }
            FingerprintReader reader = f.reader(Fingerprint.Tolerance.DEFAULT);
            assertThat(reader.differences(assumed)).isEmpty();

            pair.target().execute("ALTER TABLE orders ADD COLUMN extra INT NULL");
            assertThat(reader.differences(assumed))
                    .containsExactly("site cloud: table orders differs (column extra added)");

            f.place(T1, CLOUD);
            assertThat(reader.differences(assumed)).containsExactly("tenant t1: on cloud, the plan assumed legacy",
                    "site cloud: table orders differs (column extra added)");
        }
    }

    @Test
    void aTenantGrownPastTheTolerance_isNamedWithBothCounts(SchemaPair pair) throws Exception {
        try (PlanFixture f = new PlanFixture(pair, dir, "binlog", "5s")) {
            FingerprintReader reader = f.reader(new Fingerprint.Tolerance(0.10, 2));
            Fingerprint assumed = reader.read(List.of(T1, T2));
            pair.source().execute("INSERT INTO orders VALUES (2101, 2, 2001, 'new')",
                    "INSERT INTO orders VALUES (1101, 1, 1001, 'new')");
            // t2: 33 -> 34 is within 2 rows; t1: 65 -> 66 too.
            assertThat(reader.differences(assumed)).isEmpty();
            pair.source().execute("INSERT INTO order_items VALUES (2101, 1, 1), (2101, 2, 1), (2101, 3, 1),"
                    + " (2101, 4, 1)");
            assertThat(reader.differences(assumed))
                    .containsExactly("tenant t2: 38 rows, the plan assumed 33 (tolerance 10%, at least 2 rows)");
        }
    }
}
