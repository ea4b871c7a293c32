package dev.hikkoshi.watch.alert.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.Matcher;
import dev.hikkoshi.watch.alert.audit.AuditLog;
import dev.hikkoshi.watch.alert.audit.Suppression;
import dev.hikkoshi.watch.alert.audit.SuppressionReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilenceStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-29T06:00:00Z");

    @TempDir
    Path dir;

    @Test
    void addedSilence_isSeenByAnotherStoreOnTheSameFile_andExpires() {
        Path file = SilenceStore.fileIn(dir);
        SilenceStore cli = SilenceStore.open(file);
        SilenceStore live = SilenceStore.open(file);
        Silence s = cli.add(List.of(Matcher.parse("tenant=acme").orElseThrow()), T0, T0.plusSeconds(3600), "alice", "deploy");
        assertThat(s.id()).isEqualTo("s1");
        live.refresh();
        assertThat(live.snapshot()).containsExactly(s);
        Labels acme = Labels.of("tenant", "acme", "check", "x");
        assertThat(live.snapshot().get(0).activeAt(T0.plusSeconds(10)) && live.snapshot().get(0).matches(acme)).isTrue();

        cli.expire("s1", T0.plusSeconds(60));
        live.refresh();
        assertThat(live.snapshot().get(0).endsAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(live.snapshot().get(0).activeAt(T0.plusSeconds(61))).isFalse();
        assertThat(cli.add(List.of(Matcher.parse("check=x").orElseThrow()), T0, T0.plusSeconds(5), "bob", "").id())
                .isEqualTo("s2");
        assertThat(Files.exists(file.resolveSibling("silences.json.tmp"))).isFalse();
    }

    @Test
    void damagedFile_isAUserErrorWithTheFix() throws Exception {
        Path file = SilenceStore.fileIn(dir);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[{\"id\":\"s1\",\"matchers\":[\"oops\"]}]");
        assertThatThrownBy(() -> SilenceStore.open(file)).isInstanceOf(UserException.class)
                .hasMessage("the silence file " + file + " is damaged: matcher oops is not a label condition such as"
                        + " check=http-5xx, env!=staging or tenant=~acme|globex");
    }

    @Test
    void auditLog_skipsATornLastLine() throws Exception {
        Path file = AuditLog.fileIn(dir);
        try (AuditLog log = AuditLog.append(file)) {
            log.accept(new Suppression(T0, SuppressionReason.INHIBITED, "check=x", "ops", "inhibited by [check=site-down]"));
        }
        Files.writeString(file, "{\"time\":\"2026-11-29T06:0", StandardOpenOption.APPEND);
        assertThat(AuditLog.read(file)).extracting(Suppression::toString)
                .containsExactly("2026-11-29T06:00:00Z inhibited ops [check=x] inhibited by [check=site-down]");
    }
}
