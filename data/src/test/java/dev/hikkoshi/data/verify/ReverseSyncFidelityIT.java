package dev.hikkoshi.data.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.SandboxConfig;
import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.SitePair;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyJob;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.copy.ScopeCopy;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.scope.ScopeResolver;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.stream.StreamSettings;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4's acceptance "reverse sync round-trips the fidelity fixture of part 1": tenant 7's fixture rows are
 * copied legacy -> cloud, then copied, changed and deleted on cloud (the new site) and carried back by the
 * reverse stream (cloud -> legacy, started from a position noted on cloud before those writes, read by the
 * production binlog tailer); legacy then holds, byte for byte as the servers print them (HEX, DATE_FORMAT), the
 * rows cloud holds, and tenant 8's row on legacy is untouched.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(150)
class ReverseSyncFidelityIT {
    private static final String TENANT_7 = LegacyFixture.CANONICAL_SELECT.replace("FROM fidelity ORDER BY id",
            "FROM fidelity WHERE tenant_id = 7 ORDER BY id");
    private static final String STORED_COLUMNS = "tenant_id, s, d, dt, dt6, ts, dec1, dec2, f, g, b, bin, vb, bl, mb, j,"
            + " e, st, u, lt";

    @Test
    void fixtureCopiedThenChangedOnTheNewSite_comesBackByteForByte(SchemaPair pair) throws Exception {
        LegacyFixture.load(pair.source(), "+09:00", "2024-01-01 09:00:00.123456", "1970-01-01 09:00:01");
        pair.target().execute(LegacyFixture.CREATE);
        DataConfig config = SandboxConfig.bind(pair, "data: { tenant-column: tenant_id }\n");
        SitePair sites = SandboxConfig.sites(config);
        try (SiteDatabase legacy = SiteDatabase.open(sites.source(), 4); SiteDatabase cloud = SiteDatabase.open(sites.target(), 4)) {
            CopyEndpoint legacyEnd = ScopeCopy.endpoint(legacy);
            CopyEndpoint cloudEnd = ScopeCopy.endpoint(cloud);
            Schema legacySchema = legacy.inspector().inspect(legacy.schema());
            Schema cloudSchema = cloud.inspector().inspect(cloud.schema());

            TenantScope forward = new ScopeResolver(config, legacy.config(), legacySchema, Optional.of(cloudSchema),
                    cloud.serverInfo()).resolve().orThrow();
            TableScope fidelity = forward.table(LegacyFixture.TABLE).orElseThrow();
            new CopyJob(legacyEnd, cloudEnd, List.of(new CopyTable(fidelity.table(), cloudSchema.table("fidelity").orElseThrow(),
                    fidelity.rowKey(), fidelity::tenantPredicate)), Optional.of("7"), "t7", CopySettings.defaults(),
                    CharsetOverrides.NONE, CopyHooks.NONE).run();
            assertThat(Sides.rows(pair.target(), LegacyFixture.CANONICAL_SELECT))
                    .containsExactly(Arrays.copyOf(LegacyFixture.EXPECTED, 4));

            TenantScope backward = new ScopeResolver(config, cloud.config(), cloudSchema, Optional.of(legacySchema),
                    legacy.serverInfo()).resolve().orThrow();
            TenantStream.Setup setup = new TenantStream.Setup(new StreamId(TenantId.of("t7"), SiteId.of("cloud"),
                    SiteId.of("legacy")), cloudEnd, legacyEnd, backward, legacySchema, "7", CharsetOverrides.NONE, true,
                    new StreamSettings(50, 500, 10_000, Duration.ofMillis(250), Duration.ofSeconds(5)));
            try (BinlogTailer newSite = BinlogTailer.open(cloud, cloudSchema)) {
                CapturePosition notedWhileFrozen = newSite.currentPosition();
                try (TenantStream back = TenantStream.start(setup, newSite, notedWhileFrozen)) {
                    // The new site's writes, in a third time zone: every fixture row again (ids 11 to 14), and changes.
                    pair.target().execute("SET sql_mode = ''", "SET time_zone = '-05:00'",
                            "INSERT INTO fidelity (id, " + STORED_COLUMNS + ") SELECT id + 10, " + STORED_COLUMNS
                                    + " FROM fidelity WHERE tenant_id = 7",
                            "UPDATE fidelity SET s = '', vb = '', u = '寿司 🍣 new', ts = '2024-06-30 21:00:00.000001'"
                                    + " WHERE id = 1",
                            "UPDATE fidelity SET d = '0000-00-00', dt6 = '2024-02-29 23:59:59.999998', dec1 = -dec1,"
                                    + " f = -0e0, g = 4.9e-324, b = b'0', j = '{\"b\": [true, null]}', e = 'a',"
                                    + " st = 'x,y,z', bin = X'00000000', mb = " + LegacyFixture.BIG_BLOB + " WHERE id = 4",
                            "DELETE FROM fidelity WHERE id = 2");
                    assertThat(back.awaitCaughtUp(Duration.ofSeconds(60))).as("%s", back.status()).isTrue();
                    assertThat(back.status().reverse()).isTrue();
                    assertThat(back.status().appliedChanges()).isEqualTo(7); // 4 inserts, 2 updates, 1 delete
                    assertThat(back.status().problem()).isEmpty();
                }
            }

            List<String> onCloud = Sides.rows(pair.target(), LegacyFixture.CANONICAL_SELECT);
            assertThat(onCloud).extracting(r -> r.substring(0, r.indexOf('|'))).containsExactly("1", "3", "4", "11", "12",
                    "13", "14");
            assertThat(Sides.rows(pair.source(), TENANT_7)).containsExactlyElementsOf(onCloud);
            // The fixture's hardest row, as it came back through the new site.
            assertThat(Sides.rows(pair.source(), TENANT_7).get(5)).isEqualTo("13" + LegacyFixture.EXPECTED[2].substring(1)
                    .replace("|3-plain ascii|6", "|13-plain ascii|26"));
            assertThat(Sides.rows(pair.source(), LegacyFixture.CANONICAL_SELECT.replace("ORDER BY id",
                    "WHERE tenant_id = 8"))).containsExactly(LegacyFixture.EXPECTED[4]);
            Sides sides = new Sides(pair);
            assertThat(sides.verifier(2).verify(List.of(sides.tenant(LegacyFixture.TABLE, "tenant_id", "7"))).differences())
                    .isEmpty();
        }
    }
}
