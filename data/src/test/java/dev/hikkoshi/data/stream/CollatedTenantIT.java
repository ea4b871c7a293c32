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
    private static final String JOIN_DDL = "CREATE TABLE accounts (code VARCHAR(20) NOT NULL PRIMARY KEY, tenant_id INT NOT NULL,"
            + " KEY (tenant_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;"
            + " CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, account_code VARCHAR(20) NOT NULL, body VARCHAR(40) NULL,"
            + " KEY (account_code)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;"
            // Compared with accounts.code under utf8mb4_bin, which wins over _ci: 'acme-1' is no account's there,
            // 'ACME-1 ' is (PAD SPACE).
            + " CREATE TABLE tags (id INT NOT NULL PRIMARY KEY, account_code VARCHAR(20) COLLATE utf8mb4_bin NOT NULL,"
            + " KEY (account_code)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    private static final String JOIN_DATA = "data:\n  tenant-column: tenant_id\n"
            + "  tables: { notes: { via: \"account_code -> accounts.code\" },"
            + " tags: { via: \"account_code -> accounts.code\" } }\n";

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

    /**
     * A text join value is followed as the servers follow it: notes written 'acme-1', 'Acme-1 ' or 'ÀCME-1' belong to
     * account 'ACME-1' under utf8mb4_general_ci. The copy's join takes them, so the binlog stream must carry their
     * changes, and the bypass watch must report a write to them, and neither may take another tenant's notes. Tags,
     * whose utf8mb4_bin column makes the server compare under utf8mb4_bin, follow that collation instead.
     */
    @Test
    void binlogStreamAndWatch_followJoinValuesThatEqualTheParentKeyOnlyUnderTheCollation(SchemaPair pair) throws Exception {
        for (String ddl : JOIN_DDL.split(";")) {
            pair.source().execute(ddl.trim());
            pair.target().execute(ddl.trim());
        }
        pair.source().execute("INSERT INTO accounts VALUES ('ACME-1', 1), ('GLOBEX-1', 2)");
        pair.source().execute("INSERT INTO notes VALUES (1, 'ACME-1', 'a'), (2, 'acme-1', 'b'), (3, 'Acme-1 ', 'c'),"
                + " (4, 'globex-1', 'd'), (5, 'ÀCME-1', 'e')");
        pair.source().execute("INSERT INTO tags VALUES (1, 'ACME-1'), (2, 'acme-1')");
        try (StreamFixture f = new StreamFixture(pair.source().server().jdbcUrl(""), pair.target().server().jdbcUrl(""),
                pair.name(), JOIN_DATA); ChangeCapture capture = f.capture()) {
            CapturePosition noted = capture.currentPosition();
            f.copy("1");
            assertThat(notes(f, false)).as("copied").containsExactly("1|ACME-1|a", "2|acme-1|b", "3|Acme-1 |c", "5|ÀCME-1|e");
            assertThat(StreamFixture.rows(f.target, "SELECT id FROM tags")).as("tags copied").containsExactly("1");
            List<dev.hikkoshi.core.stream.BypassWrite> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (TenantStream stream = TenantStream.start(f.setup("1", false), capture, noted);
                 BypassWatch watch = new BypassWatch(f.setup("1", false), dev.hikkoshi.core.routing.SiteId.of("legacy"),
                         java.util.Set.of(), capture, capture.currentPosition(), reported::add)) {
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                try (var c = StreamFixture.connect(f.sourceUrl); var s = c.createStatement()) {
                    s.execute("UPDATE notes SET body = 'changed'");
                    s.execute("INSERT INTO notes VALUES (6, 'acme-1', 'new'), (7, 'globex-1', 'other')");
                    s.execute("DELETE FROM notes WHERE id = 3");
                    s.execute("UPDATE tags SET account_code = CONCAT(account_code, ' ')");
                    // Both images now differ from 'ACME-1' in trailing spaces only, which utf8mb4_bin ignores too.
                    s.execute("UPDATE tags SET account_code = 'ACME-1  ' WHERE id = 1");
                    s.execute("UPDATE notes SET body = 'last' WHERE id = 1"); // reported last: the binlog is in order
                }
                assertThat(stream.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

                assertThat(notes(f, false)).as("the target; %s", stream.status()).containsExactlyElementsOf(notes(f, true))
                        .containsExactly("1|ACME-1|last", "2|acme-1|changed", "5|ÀCME-1|changed", "6|acme-1|new");
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (reported.stream().filter(w -> w.table().equals("notes") && w.primaryKey().equals("id=1")).count() < 2
                        && System.nanoTime() < deadline) { // until the last write is reported
                    Thread.sleep(50);
                }
                assertThat(reported).extracting(w -> w.table() + " " + w.primaryKey()).containsExactly("notes id=1",
                        "notes id=2", "notes id=3", "notes id=5", "notes id=6", "notes id=3", "tags id=1", "tags id=1",
                        "notes id=1");
            }
        }
    }

    /** The source's notes of tenant 1 through the server's own join, or every note of the target. */
    private static List<String> notes(StreamFixture f, boolean source) throws Exception {
        return source
                ? StreamFixture.rows(f.source, "SELECT n.id, n.account_code, n.body FROM notes n JOIN accounts a"
                        + " ON a.code = n.account_code WHERE a.tenant_id = 1 ORDER BY n.id")
                : StreamFixture.rows(f.target, "SELECT id, account_code, body FROM notes ORDER BY id");
    }

    /** The source's rows of tenant acme by the server's own predicate, or every row of the target. */
    private static List<String> accounts(StreamFixture f, boolean source) throws Exception {
        return source
                ? StreamFixture.rows(f.source, "SELECT id, tenant_code, note FROM accounts WHERE tenant_code = 'acme' ORDER BY id")
                : StreamFixture.rows(f.target, "SELECT id, tenant_code, note FROM accounts ORDER BY id");
    }
}
