package dev.hikkoshi.router.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminTokensTest {
    @Test
    void noToken_refusesToStart_withAHint() {
        assertThatThrownBy(() -> AdminTokens.of(Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("the router's admin API has no token, so nobody could use it safely")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("add a named token under router.admin.tokens, such as controller: "
                        + "{ env: HIKKOSHI_ROUTER_TOKEN }, and set that variable to a long random secret");
    }

    @Test
    void emptyToken_refusesToStart_namingIt() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("controller", "s3cret-controller-token");
        tokens.put("ops-alice", " ");
        assertThatThrownBy(() -> AdminTokens.of(tokens))
                .isInstanceOf(UserException.class)
                .hasMessage("admin token ops-alice is empty")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("set the environment variable named by router.admin.tokens.ops-alice.env to a long "
                        + "random secret (for example: openssl rand -hex 32)");
    }

    @Test
    void twoNamesWithOneSecret_areRefused_becauseTheAuditCouldNotTellThemApart() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("controller", "same");
        tokens.put("ops-alice", "same");
        assertThatThrownBy(() -> AdminTokens.of(tokens)).isInstanceOf(UserException.class)
                .hasMessage("admin tokens controller and ops-alice have the same secret, so the audit log could not "
                        + "tell them apart");
    }

    @Test
    void nameOf_findsOnlyTheExactSecret() {
        AdminTokens tokens = AdminTokens.of(Map.of("controller", "abc123", "ops-alice", "xyz789"));
        assertThat(tokens.nameOf("abc123")).contains("controller");
        assertThat(tokens.nameOf("xyz789")).contains("ops-alice");
        assertThat(tokens.nameOf("abc12")).isEmpty();
        assertThat(tokens.nameOf("abc1234")).isEmpty();
        assertThat(tokens.nameOf("")).isEmpty();
        assertThat(tokens.toString()).doesNotContain("abc123");
    }
}
