package dev.hikkoshi.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommonConfigTest {
    private static ConfigDocument parse(String yaml) {
        return ConfigDocument.parse(Path.of("test.yaml"), yaml, Map.of("SECRET", "s3cret"));
    }

    @Test
    void bind_validFile_readsSitesTenantsAndStateDir() {
        ConfigDocument doc = parse("""
                environment: staging
                sites:
                  legacy: { upstreams: [http://127.0.0.1:3000] }
                  cloud: { upstreams: [http://127.0.0.1:3001] }
                tenants:
                  list: [ { name: acme, id: 1 }, { name: globex, id: 2 } ]
                state-dir: /tmp/state
                """);
        CommonConfig c = CommonConfig.bind(doc.root());
        doc.throwIfProblems();
        assertThat(c.environment()).isEqualTo("staging");
        assertThat(c.sites()).containsExactly(SiteId.of("legacy"), SiteId.of("cloud"));
        assertThat(c.tenants().list()).extracting(t -> t.id().value(), t -> t.databaseId())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acme", "1"),
                        org.assertj.core.groups.Tuple.tuple("globex", "2"));
        assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/state"));
    }

    @Test
    void bind_manyMistakes_reportsEveryOneAsPathValueExpected() {
        ConfigDocument doc = parse("""
                sites:
                  Legacy: {}
                  cloud: { upstream: [] }
                tenants:
                  list: [ { name: acme, id: 1 }, { name: acme, id: 2 }, { name: "bad name", id: 3 }, { name: x } ]
                routr: {}
                """);
        CommonConfig.bind(doc.root());
        assertThatThrownBy(doc::throwIfProblems)
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        config test.yaml has 6 problems:
                          routr: unknown key (expected: one of environment, sites, tenants, router, data, controller, plan, alerts, state-dir)
                          sites.Legacy: Legacy (expected: a site name of lower-case letters, digits, '_' or '-', starting with a letter)
                          sites.cloud.upstream: unknown key (expected: one of upstreams, balance, health, ejection, database)
                          tenants.list[1].name: acme (expected: a name not used by another tenant)
                          tenants.list[2].name: bad name (expected: 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit)
                          tenants.list[3].id: (missing) (expected: the tenant's id in the database, such as 42)""");
    }

    @Test
    void parse_brokenYaml_namesTheLine() {
        assertThatThrownBy(() -> parse("sites:\n  legacy: [\n"))
                .isInstanceOf(UserException.class)
                .hasMessageStartingWith("config file test.yaml is not valid YAML at line");
    }

    @Test
    void parse_duplicateKey_isRefused() {
        assertThatThrownBy(() -> parse("sites: {}\nsites: {}\n"))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("Duplicate field 'sites'");
    }

    @Test
    void typedValues_badValues_areProblemsAndDefaultsAreKept() {
        ConfigDocument doc = parse("""
                a: { d: 10x, s: 12QB, n: 70000, e: round, addr: "localhost", secret: MISSING, ok: SECRET }
                """);
        ConfigNode a = doc.root().get("a");
        assertThat(a.get("d").duration(Duration.ofSeconds(5), Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.get("s").size(ByteSize.ofKiB(1), new ByteSize(0))).isEqualTo(ByteSize.ofKiB(1));
        assertThat(a.get("n").integer(1, 1, 65535)).isEqualTo(1);
        assertThat(a.get("e").choice(Mode.class, Mode.ROUND_ROBIN)).isEqualTo(Mode.ROUND_ROBIN);
        assertThat(a.get("addr").address("127.0.0.1:80").getPort()).isEqualTo(80);
        assertThat(a.get("secret").secretFromEnvironment()).isEmpty();
        assertThat(a.get("ok").secretFromEnvironment()).contains("s3cret");
        assertThat(doc.problems().list()).extracting(ConfigProblem::toString).containsExactly(
                "a.d: 10x (expected: a duration such as 500ms, 10s, 1m or 2h)",
                "a.s: 12QB (expected: a size such as 65536, 64KiB, 10MiB or 1GiB)",
                "a.n: 70000 (expected: an integer from 1 to 65535)",
                "a.e: round (expected: one of round-robin, least-connections)",
                "a.addr: localhost (expected: host:port such as 127.0.0.1:8080 or [::1]:8080, port from 0 to 65535)",
                "a.secret: MISSING (expected: the name of an environment variable that is set and not empty)");
    }

    @Test
    void durationsAndSizes_roundTrip() {
        assertThat(DurationText.parse("1500ms")).contains(Duration.ofMillis(1500));
        assertThat(DurationText.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(ByteSize.parse("10MiB")).contains(ByteSize.ofMiB(10));
        assertThat(ByteSize.ofMiB(1).toString()).isEqualTo("1MiB");
        assertThat(TenantId.isValid("acme-1")).isTrue();
    }

    enum Mode { ROUND_ROBIN, LEAST_CONNECTIONS }
}
