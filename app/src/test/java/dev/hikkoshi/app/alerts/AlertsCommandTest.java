package dev.hikkoshi.app.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.HikkoshiCommand;
import dev.hikkoshi.watch.alert.audit.AuditLog;
import dev.hikkoshi.watch.alert.audit.Suppression;
import dev.hikkoshi.watch.alert.audit.SuppressionReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hikkoshi alerts replay / log / silence} end to end through the CLI. */
class AlertsCommandTest {
    private static final Instant NOW = Instant.parse("2026-11-29T06:00:00Z");

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();
    private Path config;

    @BeforeEach
    void setUp() throws Exception {
        SilenceCommand.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        config = dir.resolve("hikkoshi.yaml");
        Files.writeString(config, """
                environment: production
                sites: { legacy: {}, cloud: {} }
                tenants: { list: [ { name: acme, id: 1 } ] }
                state-dir: %s
                alerts:
                  receivers: [ { name: ops, slack-webhook-env: NOT_SET_IN_TESTS, env: [production], budget-per-minute: 2 } ]
                  routes: [ { match: [check=~.+], receiver: ops, group-by: [tenant], group-wait: 30s, group-interval: 5m } ]
                """.formatted(dir.resolve("state")));
    }

    @AfterEach
    void tearDown() {
        SilenceCommand.clock = Clock.systemUTC();
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = HikkoshiCommand.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void replay_printsEveryMessageWithItsSimulatedTime_andASummary() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, """
                # a tenant errors, two more join, one recovers
                {"time":"2026-11-29T06:00:00Z","labels":{"check":"http-5xx","tenant":"acme","site":"cloud"},"count":5}
                {"time":"2026-11-29T06:00:01Z","labels":{"check":"http-5xx","tenant":"globex","site":"cloud"}}
                {"time":"2026-11-29T06:00:02Z","labels":{"check":"http-5xx","tenant":"initech","site":"cloud"}}
                {"time":"2026-11-29T06:01:00Z","labels":{"check":"http-5xx","tenant":"acme","site":"cloud"},"status":"resolved"}
                {"time":"2026-11-29T06:01:00Z","labels":{"check":"http-5xx","tenant":"globex","site":"cloud","env":"staging"}}
                """);
        int code = run("alerts", "replay", "-c", config.toString(), events.toString(), "--for", "6m", "--suppressions");
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).isEqualTo("""
                replaying 5 inputs from 2026-11-29T06:00:00Z to 2026-11-29T06:06:00Z (+6m) through %s
                [+30s 2026-11-29T06:00:30Z] to ops:
                  [FIRING:1] tenant=acme
                  5 events from 1 tenant
                  firing: check=http-5xx env=production severity=warning site=cloud (5 events since 2026-11-29T06:00:00Z)
                [+31s 2026-11-29T06:00:31Z] to ops:
                  [FIRING:1] tenant=globex
                  1 event from 1 tenant
                  firing: check=http-5xx env=production severity=warning site=cloud (1 event since 2026-11-29T06:00:01Z)
                [+1m30s 2026-11-29T06:01:30Z] to ops:
                  [FIRING:1] tenant=initech
                  1 event from 1 tenant
                  firing: check=http-5xx env=production severity=warning site=cloud (1 event since 2026-11-29T06:00:02Z)
                [+5m30s 2026-11-29T06:05:30Z] to ops:
                  [RESOLVED] tenant=acme
                  every alert of the group resolved
                  resolved: check=http-5xx env=production severity=warning site=cloud (5 events)
                held: 2026-11-29T06:00:00Z grouped ops [check=http-5xx env=production severity=warning site=cloud tenant=acme] joined group tenant=acme; sent with the group at 2026-11-29T06:00:30Z
                held: 2026-11-29T06:00:01Z grouped ops [check=http-5xx env=production severity=warning site=cloud tenant=globex] joined group tenant=globex; sent with the group at 2026-11-29T06:00:31Z
                held: 2026-11-29T06:00:02Z grouped ops [check=http-5xx env=production severity=warning site=cloud tenant=initech] joined group tenant=initech; sent with the group at 2026-11-29T06:00:32Z
                held: 2026-11-29T06:00:32Z over-budget ops [tenant=initech] budget of 2 messages a minute spent; waits until 2026-11-29T06:01:30Z
                held: 2026-11-29T06:01:00Z out-of-scope ops [check=http-5xx env=staging severity=warning site=cloud tenant=globex] receiver ops accepts env production, not staging
                4 messages (ops: 4); 5 suppressions (grouped: 3, out-of-scope: 1, over-budget: 1)
                """.formatted(config));
        assertThat(code).isZero();
    }

    @Test
    void replay_badEventLine_isAUserErrorNamingTheLine() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, "{\"time\":\"2026-11-29T06:00:00Z\",\"labels\":{\"tenant\":\"acme\"}}\n");
        int code = run("alerts", "replay", "-c", config.toString(), events.toString());
        assertThat(err.toString()).isEqualTo("error: " + events + " line 1: labels.check: (missing) (expected: the name"
                + " of the check, such as http-5xx)\nhint: fix that line of the event file; docs/watch.md describes the"
                + " format\n");
        assertThat(code).isEqualTo(2);
    }

    @Test
    void silence_addListExpire_persistInTheStateDir() {
        assertThat(run("alerts", "silence", "add", "-c", config.toString(), "--match", "tenant=acme", "--match",
                "check=~http-.*", "--for", "2h", "--by", "alice", "--comment", "deploy")).isZero();
        assertThat(out.toString()).isEqualTo("added silence s1 tenant=acme check=~http-.* from 2026-11-29T06:00:00Z"
                + " until 2026-11-29T08:00:00Z by alice: deploy\n");
        assertThat(Files.exists(dir.resolve("state/alerts/silences.json"))).isTrue();

        assertThat(run("alerts", "silence", "list", "-c", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("active s1 tenant=acme check=~http-.* from 2026-11-29T06:00:00Z"
                + " until 2026-11-29T08:00:00Z by alice: deploy\n");

        SilenceCommand.clock = Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC);
        assertThat(run("alerts", "silence", "expire", "-c", config.toString(), "s1")).isZero();
        assertThat(out.toString()).isEqualTo("expired silence s1 tenant=acme check=~http-.* from 2026-11-29T06:00:00Z"
                + " until 2026-11-29T06:10:00Z by alice: deploy\n");
        assertThat(run("alerts", "silence", "list", "-c", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("no active silences\n");
        assertThat(run("alerts", "silence", "list", "-c", config.toString(), "--all")).isZero();
        assertThat(out.toString()).startsWith("ended s1 ");

        assertThat(run("alerts", "silence", "expire", "-c", config.toString(), "s9")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: no silence with id s9 in " + dir.resolve("state/alerts/silences.json")
                + "\nhint: list the silences and their ids with 'hikkoshi alerts silence list'\n");
    }

    @Test
    void log_listsRecordedSuppressions_filteredByReason() {
        try (AuditLog log = AuditLog.append(AuditLog.fileIn(dir.resolve("state")))) {
            log.accept(new Suppression(NOW, SuppressionReason.SILENCED, "check=http-5xx tenant=acme", "ops",
                    "silence s1 until 2026-11-29T08:00:00Z"));
            log.accept(new Suppression(NOW.plusSeconds(1), SuppressionReason.OVER_BUDGET, "tenant=globex", "ops",
                    "budget of 2 messages a minute spent; summarized in a digest"));
        }
        assertThat(run("alerts", "log", "-c", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("""
                2026-11-29T06:00:00Z silenced ops [check=http-5xx tenant=acme] silence s1 until 2026-11-29T08:00:00Z
                2026-11-29T06:00:01Z over-budget ops [tenant=globex] budget of 2 messages a minute spent; summarized in a digest
                """);
        assertThat(run("alerts", "log", "-c", config.toString(), "--reason", "over-budget")).isZero();
        assertThat(out.toString()).startsWith("2026-11-29T06:00:01Z over-budget").hasLineCount(1);
    }
}
