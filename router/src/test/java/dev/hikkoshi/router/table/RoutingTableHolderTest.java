package dev.hikkoshi.router.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingTableHolderTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final List<SiteId> SITES = List.of(LEGACY, CLOUD);

    @TempDir
    Path dir;

    @Test
    void push_olderOrSameVersion_isNotApplied() {
        RoutingTableHolder h = new RoutingTableHolder(RoutingTable.empty(), Optional.empty());
        assertThat(h.push(new RoutingTable(5, Map.of(ACME, Placement.at(CLOUD))))).isEqualTo(5);
        assertThat(h.push(new RoutingTable(4, Map.of(ACME, Placement.at(LEGACY))))).isEqualTo(5);
        assertThat(h.push(new RoutingTable(5, Map.of(ACME, Placement.at(LEGACY))))).isEqualTo(5);
        assertThat(h.current().placement(ACME)).contains(Placement.at(CLOUD));
    }

    @Test
    void freezeAndRelease_keepTheVersion_andAPushNeverUnfreezes() {
        RoutingTableHolder h = new RoutingTableHolder(new RoutingTable(3, Map.of(ACME, Placement.at(LEGACY))),
                Optional.empty());
        assertThat(h.freeze(ACME, CLOUD)).isEqualTo(new Placement(LEGACY, true));
        assertThat(h.freeze(GLOBEX, CLOUD)).isEqualTo(new Placement(CLOUD, true)); // not placed: the default site
        assertThat(h.version()).isEqualTo(3);
        h.push(new RoutingTable(4, Map.of(ACME, Placement.at(CLOUD))));
        assertThat(h.current().placements()).isEqualTo(Map.of(ACME, new Placement(CLOUD, true),
                GLOBEX, new Placement(CLOUD, true)));
        assertThat(h.release(ACME)).contains(Placement.at(CLOUD));
        assertThat(h.current().placement(ACME)).contains(Placement.at(CLOUD));
        assertThat(h.release(TenantId.of("nobody"))).isEmpty();
    }

    @Test
    void persistent_restart_keepsPlacementsAndFrozenFlags() {
        RoutingTableStore store = new RoutingTableStore(dir.resolve("state"));
        RoutingTableHolder h = RoutingTableHolder.persistent(store, SITES);
        assertThat(h.current()).isEqualTo(RoutingTable.empty());
        h.push(new RoutingTable(7, Map.of(ACME, Placement.at(CLOUD), GLOBEX, Placement.at(LEGACY))));
        h.freeze(GLOBEX, LEGACY);

        RoutingTableHolder restarted = RoutingTableHolder.persistent(new RoutingTableStore(dir.resolve("state")), SITES);
        assertThat(restarted.current()).isEqualTo(new RoutingTable(7, Map.of(ACME, Placement.at(CLOUD),
                GLOBEX, new Placement(LEGACY, true))));
        assertThat(dir.resolve("state").resolve("routing-table.json.tmp")).doesNotExist();
    }

    @Test
    void load_corruptFile_refusesToStartWithAHint() throws Exception {
        Files.writeString(dir.resolve("routing-table.json"), "{\"version\": 3, \"placements\": ");
        RoutingTableStore store = new RoutingTableStore(dir);
        assertThatThrownBy(() -> store.load(SITES))
                .isInstanceOf(UserException.class)
                .hasMessageStartingWith("routing table state file " + dir.resolve("routing-table.json") + " cannot be read: ")
                .satisfies(e -> assertThat(((UserException) e).hint()).isEqualTo("restore "
                        + dir.resolve("routing-table.json") + " from a backup or another router (GET /routing-table"
                        + " on its admin API); delete it only if no tenant was ever moved"));
    }

    @Test
    void load_placementOnASiteNoLongerConfigured_isRefused() {
        RoutingTableStore store = new RoutingTableStore(dir);
        store.save(new RoutingTable(2, Map.of(ACME, Placement.at(SiteId.of("aws")))));
        assertThatThrownBy(() -> store.load(SITES))
                .isInstanceOf(UserException.class)
                .hasMessage("routing table state file " + dir.resolve("routing-table.json")
                        + " places tenant acme on site aws, which the config does not define");
    }

    @Test
    void save_writesReadableSortedJson() throws Exception {
        RoutingTableStore store = new RoutingTableStore(dir);
        store.save(new RoutingTable(9, Map.of(GLOBEX, Placement.at(LEGACY), ACME, new Placement(CLOUD, true))));
        assertThat(Files.readString(dir.resolve("routing-table.json")).replaceAll("\\s", ""))
                .isEqualTo("{\"version\":9,\"placements\":{\"acme\":{\"site\":\"cloud\",\"frozen\":true},"
                        + "\"globex\":{\"site\":\"legacy\",\"frozen\":false}}}");
    }
}
