package dev.hikkoshi.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ConfigDocument records of the binders' reads (the catalogs behind docs/config.md are checked against it). */
class ConfigKeysReadTest {
    private static ConfigDocument parse(String yaml) {
        return ConfigDocument.parse(Path.of("test.yaml"), yaml, Map.of());
    }

    @Test
    void keysRead_namesUserChosenKeysNAMEAndListItemsBrackets() {
        ConfigDocument doc = parse("""
                sites: { legacy: { upstreams: [http://a] }, cloud: { upstreams: [http://b] } }
                plan: { waves: [ { name: pilot }, { name: rest } ] }
                """);
        ConfigNode root = doc.root();
        root.get("sites").entries().forEach((name, site) -> site.get("upstreams").items());
        root.get("plan").get("waves").items().forEach(w -> w.get("name").text());

        assertThat(doc.keysRead()).containsExactly("plan", "plan.waves", "plan.waves[].name", "sites",
                "sites.NAME.upstreams");
    }

    @Test
    void keysRead_aNameLookedUpInAnEnumeratedMap_isRecordedAsNAME() {
        ConfigDocument doc = parse("sites: { legacy: { database: { url: x } } }\n");
        doc.root().get("sites").entries();
        doc.root().get("sites").get("legacy").get("database").get("url").text();

        assertThat(doc.keysRead()).containsExactly("sites", "sites.NAME", "sites.NAME.database",
                "sites.NAME.database.url");
    }

    @Test
    void keysRead_includesAbsentKeysAndTheKeysAMapAccepts() {
        ConfigDocument doc = parse("router: { freeze: { max-hold: 10s } }\n");
        ConfigNode freeze = doc.root().get("router").get("freeze");
        freeze.allowOnly("max-hold", "drain-grace");
        freeze.get("max-held-per-tenant").integer(1000, 0, 10);

        assertThat(doc.keysRead()).containsExactly("router", "router.freeze", "router.freeze.drain-grace",
                "router.freeze.max-held-per-tenant", "router.freeze.max-hold");
    }

    @Test
    void problems_theSameLineTwice_isRecordedOnce() {
        ConfigDocument doc = parse("router: { freeze: { max-hold: ten } }\n");
        doc.root().get("router").get("freeze").get("max-hold").duration(Duration.ofSeconds(10), Duration.ZERO);
        doc.root().get("router").get("freeze").get("max-hold").duration(Duration.ofSeconds(10), Duration.ZERO);

        assertThat(doc.problems().list()).extracting(ConfigProblem::toString)
                .containsExactly("router.freeze.max-hold: ten (expected: a duration such as 500ms, 10s, 1m or 2h)");
    }
}
