package dev.hikkoshi.cutover.hook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.hook.HooksConfig.HookCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hooks run as real processes: environment, output, exit codes and the timeout's kill of the whole tree. */
@Timeout(60)
class HookRunnerTest {
    static final Tenant ACME = new Tenant(TenantId.of("acme"), "17");
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");

    @TempDir
    Path dir;

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static HookResult run(HookPoint point, HookCommand command) throws InterruptedException {
        return new HookRunner(new HooksConfig(Map.of(point, command))).run(point, ACME, LEGACY, CLOUD).orElseThrow();
    }

    @Test
    void run_givesTheTenantAndSitesInTheEnvironment() throws Exception {
        HookResult r = run(HookPoint.AFTER_SWITCH, HookCommand.shell(
                "echo \"$HIKKOSHI_HOOK $HIKKOSHI_TENANT $HIKKOSHI_TENANT_ID $HIKKOSHI_FROM_SITE $HIKKOSHI_TO_SITE\"",
                Duration.ofSeconds(10)));
        assertThat(r.succeeded()).isTrue();
        assertThat(r.exitCode()).isEqualTo(OptionalInt.of(0));
        assertThat(r.output()).containsExactly("after-switch acme 17 legacy cloud");
        assertThat(r.failure()).isEmpty();
    }

    @Test
    void run_logsEachOutputLineWithTheMovesContext() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                HookRunner.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            run(HookPoint.BEFORE_FREEZE, HookCommand.shell("echo stopping; echo stopped >&2", Duration.ofSeconds(10)));
        } finally {
            logger.detachAppender(appender);
        }
        List<ch.qos.logback.classic.spi.ILoggingEvent> lines = appender.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("before-freeze hook: ")).toList();
        assertThat(lines).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .containsExactly("before-freeze hook: stopping", "before-freeze hook: stopped");
        assertThat(lines).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("tenant", "acme")
                .containsEntry("phase", "before-freeze").containsEntry("component", "hook"));
    }

    @Test
    void run_failingHook_failsWithHookExitCodeAndLastLine() throws Exception {
        Path stop = script("stop-workers.sh", "echo stopping workers of $HIKKOSHI_TENANT\necho 'queue unreachable' >&2\n"
                + "echo\nexit 3");
        HookResult r = run(HookPoint.BEFORE_FREEZE, new HookCommand(List.of(stop.toString()), stop.toString(),
                Duration.ofSeconds(10)));
        assertThat(r.succeeded()).isFalse();
        assertThat(r.output()).containsExactly("stopping workers of acme", "queue unreachable", "");
        assertThat(r.failure()).contains("before-freeze hook \"" + stop + "\" exited with 3; last output: "
                + "\"queue unreachable\"");
    }

    @Test
    void runOrThrow_failingBeforeFreezeHook_throwsTheOneLineReason() throws Exception {
        HookRunner runner = new HookRunner(new HooksConfig(Map.of(HookPoint.BEFORE_FREEZE, HookCommand.shell(
                "echo draining; exit 4", Duration.ofSeconds(10)), HookPoint.AFTER_SWITCH, HookCommand.shell("true",
                Duration.ofSeconds(10)))));
        HookFailedException e = org.junit.jupiter.api.Assertions.assertThrows(HookFailedException.class,
                () -> runner.runOrThrow(HookPoint.BEFORE_FREEZE, ACME, LEGACY, CLOUD));
        assertThat(e).hasMessage("before-freeze hook \"echo draining; exit 4\" exited with 4; last output: \"draining\"");
        assertThat(e.result().exitCode()).isEqualTo(OptionalInt.of(4));
        assertThat(runner.runOrThrow(HookPoint.AFTER_SWITCH, ACME, LEGACY, CLOUD)).hasValueSatisfying(
                r -> assertThat(r.succeeded()).isTrue());
        assertThat(runner.runOrThrow(HookPoint.AFTER_ROLLBACK, ACME, LEGACY, CLOUD)).isEmpty();
    }

    @Test
    void run_failingHookWithoutOutput_saysSo() throws Exception {
        HookResult r = run(HookPoint.AFTER_ROLLBACK, HookCommand.shell("exit 1", Duration.ofSeconds(10)));
        assertThat(r.failure()).contains("after-rollback hook \"exit 1\" exited with 1; no output");
    }

    @Test
    void run_pastItsTimeout_killsTheWholeProcessTree() throws Exception {
        Path hang = script("hang.sh", "sleep 300 &\necho child $!\n(sleep 300; echo never) &\necho child $!\n"
                + "echo waiting for the queue to drain\nwait");
        long started = System.nanoTime();
        HookResult r = run(HookPoint.BEFORE_FREEZE, new HookCommand(List.of(hang.toString()), "hang.sh",
                Duration.ofMillis(700)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEmpty();
        assertThat(r.failure()).contains("before-freeze hook \"hang.sh\" timed out after 700ms and was killed; "
                + "last output: \"waiting for the queue to drain\"");
        List<Long> children = r.output().stream().filter(l -> l.startsWith("child ")).map(l -> Long.parseLong(
                l.substring(6))).toList();
        assertThat(children).hasSize(2);
        for (long pid : children) {
            Optional<ProcessHandle> child = ProcessHandle.of(pid);
            assertThat(child.map(ProcessHandle::isAlive)).as("child %d", pid).isNotEqualTo(Optional.of(true));
        }
    }

    @Test
    void run_aCommandThatCannotStart_failsNamingWhy() throws Exception {
        HookResult r = run(HookPoint.BEFORE_FREEZE, new HookCommand(List.of(dir + "/missing"), "missing",
                Duration.ofSeconds(1)));
        assertThat(r.failure()).contains("before-freeze hook \"missing\" could not start: Cannot run program \"" + dir
                + "/missing\": error=2, No such file or directory; no output");
    }

    @Test
    void run_longOutput_keepsABoundedTail() throws Exception {
        HookResult r = run(HookPoint.AFTER_SWITCH, HookCommand.shell(
                "i=1; while [ $i -le 3000 ]; do echo line $i; i=$((i+1)); done; head -c 5000 /dev/zero | tr '\\0' x",
                Duration.ofSeconds(30)));
        assertThat(r.succeeded()).isTrue();
        assertThat(r.output()).hasSize(HookRunner.TAIL_LINES);
        assertThat(r.output().get(r.output().size() - 2)).isEqualTo("line 3000");
        assertThat(r.lastLine()).contains("x".repeat(HookRunner.MAX_LINE_CHARS) + "...");
    }

    @Test
    void run_noHookConfigured_runsNothing() throws Exception {
        assertThat(new HookRunner(HooksConfig.NONE).run(HookPoint.BEFORE_FREEZE, ACME, LEGACY, CLOUD)).isEmpty();
    }

    @Test
    void bind_readsTextAndListCommands_andReportsBadOnesExactly() {
        ConfigDocument doc = ConfigDocument.parse(Path.of("t.yaml"), """
                plan:
                  hooks:
                    before-freeze: { command: "systemctl stop shop-worker@$HIKKOSHI_TENANT", timeout: 30s }
                    after-switch: { command: [/opt/shop/bin/flush-cache, --all] }
                """, Map.of());
        HooksConfig config = HooksConfig.bind(doc.root().get("plan").get("hooks"));
        assertThat(doc.problems().isEmpty()).isTrue();
        assertThat(config.get(HookPoint.BEFORE_FREEZE)).contains(HookCommand.shell(
                "systemctl stop shop-worker@$HIKKOSHI_TENANT", Duration.ofSeconds(30)));
        assertThat(config.get(HookPoint.AFTER_SWITCH)).contains(new HookCommand(
                List.of("/opt/shop/bin/flush-cache", "--all"), "/opt/shop/bin/flush-cache --all", Duration.ofSeconds(60)));
        assertThat(config.get(HookPoint.AFTER_ROLLBACK)).isEmpty();

        ConfigDocument bad = ConfigDocument.parse(Path.of("t.yaml"), """
                plan:
                  hooks:
                    before-freeze: { timeout: forever }
                    after-switch: "flush"
                    after-rollback: { command: [], timeout: 5s }
                    before-switch: { command: x }
                """, Map.of());
        HooksConfig none = HooksConfig.bind(bad.root().get("plan").get("hooks"));
        assertThat(none.hooks()).isEmpty();
        assertThat(bad.problems().list()).map(ConfigProblem::toString).containsExactly(
                "plan.hooks.before-switch: unknown key (expected: one of before-freeze, after-switch, after-rollback)",
                "plan.hooks.before-freeze.timeout: forever (expected: a duration such as 500ms, 10s, 1m or 2h, at least "
                        + "100ms)",
                "plan.hooks.before-freeze.command: (missing) (expected: a command (text for /bin/sh -c, or a list of "
                        + "program and arguments))",
                "plan.hooks.after-switch: flush (expected: a map such as { command: \"/opt/shop/bin/stop-workers\", "
                        + "timeout: 30s })",
                "plan.hooks.after-rollback.command: [] (expected: a command (text for /bin/sh -c, or a list of program "
                        + "and arguments))");
    }
}
