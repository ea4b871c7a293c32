package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.trigger.TriggerCapture;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A text tenant column is compared as the servers compare it: under its collation, where 'ACME', 'Acme' and
 * 'acme ' (trailing space, PAD SPACE) are tenant 'acme'. The copy takes those rows for the tenant; the stream must
 * carry their changes too, by binlog and by triggers, and still leave out another tenant's.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class CollatedTenantIT {
    private static final String DDL = "CREATE TABLE accounts (id INT NOT NULL PRIMARY KEY, tenant_code VARCHAR(20) NOT NULL,"
            + " note VARCHAR(40) NULL, KEY (tenant_code)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";
    private static final String DATA = "data:\n  tenant-column: tenant_code\n";

    @Test
    void binlogStream_carriesChangesOfRowsWhoseTenantValueEqualsOnlyUnderTheCollation(SchemaPair pair) throws Exception {
        try (StreamFixture f = fixture(pair); ChangeCapture capture = f.capture()) {
            streamAndCompare(f, capture);
        }
    }

    @Test
    void triggerStream_carriesChangesOfRowsWhoseTenantValueEqualsOnlyUnderTheCollation(SchemaPair pair) throws Exception {
        try (StreamFixture f = fixture(pair); TriggerCapture capture = f.triggerCapture()) {
            capture.install();
            streamAndCompare(f, capture);
        }
    }

    private static StreamFixture fixture(SchemaPair pair) throws Exception {
        pair.source().execute(DDL);
        pair.target().execute(DDL);
        pair.source().execute("INSERT INTO accounts VALUES (1, 'acme', 'a'), (2, 'ACME', 'b'), (3, 'acme ', 'c'),"
                + " (4, 'globex', 'd'), (5, 'Acme', 'e')");
        return new StreamFixture(pair.source().server().jdbcUrl(""), pair.target().server().jdbcUrl(""), pair.name(), DATA);
    }

    private static void streamAndCompare(StreamFixture f, ChangeCapture capture) throws Exception {
        CapturePosition noted = capture.currentPosition();
        f.copy("acme");
        assertThat(accounts(f, false)).as("copied").containsExactly("1|acme|a", "2|ACME|b", "3|acme |c", "5|Acme|e");
        try (TenantStream stream = TenantStream.start(f.setup("acme", false), capture, noted)) {
            assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            try (var c = StreamFixture.connect(f.sourceUrl); var s = c.createStatement()) {
                s.execute("UPDATE accounts SET note = 'changed'");
                s.execute("INSERT INTO accounts VALUES (6, 'ACME', 'new'), (7, 'globex', 'other')");
                s.execute("DELETE FROM accounts WHERE id = 5");
            }
            assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

            assertThat(accounts(f, false)).as("the target; %s", stream.status()).containsExactlyElementsOf(accounts(f, true))
                    .containsExactly("1|acme|changed", "2|ACME|changed", "3|acme |changed", "6|ACME|new");
        }
    }

    /** The source's rows of tenant acme by the server's own predicate, or every row of the target. */
    private static List<String> accounts(StreamFixture f, boolean source) throws Exception {
        return source
                ? StreamFixture.rows(f.source, "SELECT id, tenant_code, note FROM accounts WHERE tenant_code = 'acme' ORDER BY id")
                : StreamFixture.rows(f.target, "SELECT id, tenant_code, note FROM accounts ORDER BY id");
    }
}
