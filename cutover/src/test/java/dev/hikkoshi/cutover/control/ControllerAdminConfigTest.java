package dev.hikkoshi.cutover.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.router.admin.AdminSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControllerAdminConfigTest {
    static final String TWO_TOKENS = """
            controller:
              admin:
                listen: 0.0.0.0:9090
                tokens: { ops-alice: { env: TOKEN_ALICE }, ops-bob: { env: TOKEN_BOB } }
            """;

    static ConfigDocument doc(String yaml, Map<String, String> env) {
        return ConfigDocument.parse(Path.of("hikkoshi.yaml"), yaml, env);
    }

    static List<String> problems(ConfigDocument d) {
        return d.problems().list().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void settings_readEveryTokensSecretFromItsVariable() {
        ConfigDocument d = doc(TWO_TOKENS, Map.of("TOKEN_ALICE", "a-secret", "TOKEN_BOB", "b-secret"));

        Optional<AdminSettings> settings = ControllerAdminConfig.settings(d.root().get("controller").get("admin"));

        assertThat(problems(d)).isEmpty();
        assertThat(settings.orElseThrow().listen().getPort()).isEqualTo(9090);
        assertThat(settings.get().tokens().names()).containsExactly("ops-alice", "ops-bob");
        assertThat(settings.get().tokens().nameOf("b-secret")).contains("ops-bob");
    }

    @Test
    void settings_withoutTheSection_listenOnLoopback8090_butRefuseForWantOfAToken() {
        ConfigDocument d = doc("environment: test\n", Map.of());

        Optional<AdminSettings> settings = ControllerAdminConfig.settings(d.root().get("controller").get("admin"));

        assertThat(settings).isEmpty();
        assertThat(problems(d)).containsExactly("controller.admin.tokens: (missing) (expected: a map of token names to "
                + "{env: VARIABLE}, such as {ops-alice: {env: HIKKOSHI_TOKEN_ALICE}} (the admin API refuses every "
                + "request without one))");
        assertThat(ControllerAdminConfig.bind(doc("environment: test\n", Map.of()).root().get("controller").get("admin"))
                .url()).isEqualTo(URI.create("http://127.0.0.1:8090"));
    }

    @Test
    void settings_nameEveryProblem_unsetVariable_sharedSecret_badName_unknownKey_badAddress() {
        ConfigDocument d = doc("""
                controller:
                  admin:
                    listen: nowhere
                    tokenz: {}
                    tokens:
                      ops-alice: { env: TOKEN_ALICE }
                      ops-carol: { env: TOKEN_CAROL }
                      ops-dave: { env: TOKEN_DAVE }
                      "bad name": { env: X }
                      ops-erin: TOKEN_ERIN
                """, Map.of("TOKEN_ALICE", "same", "TOKEN_DAVE", "same"));

        Optional<AdminSettings> settings = ControllerAdminConfig.settings(d.root().get("controller").get("admin"));

        assertThat(settings).isEmpty();
        assertThat(problems(d)).containsExactly(
                "controller.admin.tokenz: unknown key (expected: one of listen, tokens)",
                "controller.admin.listen: nowhere (expected: host:port such as 127.0.0.1:8080 or [::1]:8080, port "
                        + "from 0 to 65535)",
                "controller.admin.tokens.bad name: bad name (expected: a token name of letters, digits, '_', '.' or '-')",
                "controller.admin.tokens.ops-erin: TOKEN_ERIN (expected: {env: VARIABLE} naming the environment "
                        + "variable that holds the token)",
                "controller.admin.tokens.ops-carol.env: TOKEN_CAROL (expected: the name of an environment variable "
                        + "that is set and not empty)",
                "controller.admin.tokens.ops-dave.env: TOKEN_DAVE (expected: a variable whose secret differs from "
                        + "token ops-alice's (the audit log names the token))");
    }

    @Test
    void load_forAClient_needsNoSecret_andReachesAWildcardListenerThroughLoopback() {
        ControllerAdminConfig config = ControllerAdminConfig.load(doc(TWO_TOKENS, Map.of()));

        assertThat(config.url()).isEqualTo(URI.create("http://127.0.0.1:9090"));
        assertThat(config.tokenEnv()).containsExactly(Map.entry("ops-alice", "TOKEN_ALICE"),
                Map.entry("ops-bob", "TOKEN_BOB"));
    }

    @Test
    void load_withABadSection_throwsEveryProblem() {
        assertThatThrownBy(() -> ControllerAdminConfig.load(doc("controller: { admin: { tokens: [a] } }\n", Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config hikkoshi.yaml has 1 problem:\n  controller.admin.tokens: [\"a\"] (expected: a map "
                        + "of token names to {env: VARIABLE}, such as {ops-alice: {env: HIKKOSHI_TOKEN_ALICE}})");
    }

    @Test
    void clientToken_isTheFirstConfiguredTokenWhoseVariableIsSet_orTheNamedOne() {
        ControllerAdminConfig config = ControllerAdminConfig.load(doc(TWO_TOKENS, Map.of()));

        assertThat(config.clientToken(Optional.empty(), Map.of("TOKEN_BOB", "b")))
                .isEqualTo(new ControllerAdminConfig.ClientToken("TOKEN_BOB", "b"));
        assertThat(config.clientToken(Optional.of("MINE"), Map.of("TOKEN_BOB", "b", "MINE", "m")))
                .isEqualTo(new ControllerAdminConfig.ClientToken("MINE", "m"));
        assertThat(config.clientToken(Optional.empty(), Map.of("TOKEN_BOB", "b")).toString())
                .isEqualTo("ClientToken[TOKEN_BOB]");
    }

    @Test
    void clientToken_withNoVariableSet_saysWhichToSet() {
        ControllerAdminConfig config = ControllerAdminConfig.load(doc(TWO_TOKENS, Map.of()));

        assertThatThrownBy(() -> config.clientToken(Optional.empty(), Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("no controller admin token: none of TOKEN_ALICE, TOKEN_BOB (controller.admin.tokens) is set")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("export your token's variable, such as TOKEN_ALICE, or pass --token-env VAR");
        assertThatThrownBy(() -> config.clientToken(Optional.of("MINE"), Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("--token-env MINE names a variable that is not set");
    }
}
