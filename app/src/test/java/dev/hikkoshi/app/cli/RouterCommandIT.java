package dev.hikkoshi.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.sandbox.http.ExchangeLog;
import dev.hikkoshi.sandbox.http.RecordingBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hikkoshi router -c FILE} as an operator runs it: a child JVM, its printed addresses, SIGHUP with a
 * broken file (refused, old config keeps serving), SIGTERM (drains and exits 0).
 */
@Timeout(120)
class RouterCommandIT {
    @TempDir
    Path dir;

    private String config(URI upstream, String unknownTenant) {
        return """
                sites: { legacy: { upstreams: ["%s"] } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                state-dir: "%s"
                router:
                  listen: 127.0.0.1:0
                  admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
                  tenant-from: [ { path: "/t/{tenant}/" } ]
                  unknown-tenant: %s
                  shutdown-grace: 5s
                """.formatted(upstream, dir.resolve("state"), unknownTenant);
    }

    @Test
    void router_printsAddresses_refusesABrokenReloadOnSighup_andDrainsOnSigterm() throws Exception {
        ExchangeLog log = new ExchangeLog();
        try (RecordingBackend legacy = RecordingBackend.start(SiteId.of("legacy"), log)) {
            Path file = dir.resolve("hikkoshi.yaml");
            Files.writeString(file, config(legacy.uri(), "legacy"));
            Process p = startRouter(file, List.of());
            try {
                List<String> out = Collections.synchronizedList(new ArrayList<>());
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            out.add(line);
                        }
                    } catch (IOException e) {
                        out.add("read failed: " + e);
                    }
                });
                reader.start();
                String proxyLine = awaitLine(out, "proxy listening on ");
                String adminLine = awaitLine(out, "admin API listening on ");
                Matcher proxy = Pattern.compile("proxy listening on 127\\.0\\.0\\.1:(\\d+)").matcher(proxyLine);
                assertThat(proxy.matches()).as(proxyLine).isTrue();
                assertThat(adminLine).matches("admin API listening on 127\\.0\\.0\\.1:\\d+");
                URI base = URI.create("http://127.0.0.1:" + proxy.group(1));
                HttpClient http = HttpClient.newHttpClient();
                assertThat(get(http, base.resolve("/t/nobody/x")).headers().firstValue("X-Served-By")).contains("legacy");

                Files.writeString(file, config(legacy.uri(), "elsewhere"));
                signal(p, "HUP");
                String refused = awaitFileLine(p, out, dir.resolve("stderr.txt"), "reload refused");
                assertThat(refused).isEqualTo("reload refused, the old config keeps serving: config " + file
                        + " has 1 problem:");
                assertThat(Files.readString(dir.resolve("stderr.txt")))
                        .contains("  router.unknown-tenant: elsewhere (expected: a site defined under sites: legacy)");
                assertThat(get(http, base.resolve("/t/nobody/x")).statusCode()).isEqualTo(200);

                Files.writeString(file, config(legacy.uri(), "reject"));
                signal(p, "HUP");
                awaitLine(out, "reloaded: ");
                assertThat(get(http, base.resolve("/t/nobody/x")).statusCode()).isEqualTo(404);

                signal(p, "TERM");
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
                reader.join(5000);
                assertThat(out).contains("stopped");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void router_startedWithSighupIgnored_saysReloadNeedsTheAdminApi() throws Exception {
        ExchangeLog log = new ExchangeLog();
        try (RecordingBackend legacy = RecordingBackend.start(SiteId.of("legacy"), log)) {
            Path file = dir.resolve("hikkoshi.yaml");
            Files.writeString(file, config(legacy.uri(), "legacy"));
            // what nohup does: the JVM then cannot take SIGHUP over, and the operator must hear it
            Process p = startRouter(file, List.of("sh", "-c", "trap '' HUP; exec \"$0\" \"$@\""));
            try {
                List<String> out = Collections.synchronizedList(new ArrayList<>());
                assertThat(awaitFileLine(p, out, dir.resolve("stderr.txt"), "warning: SIGHUP is ignored"))
                        .contains("POST /reload");
                signal(p, "TERM");
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private Process startRouter(Path file, List<String> wrapper) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.hikkoshi.app.Main", "router", "-c", file.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ROUTER_TOKEN", "cli-secret");
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        return pb.start();
    }

    @Test
    void router_configWithoutToken_exitsWithCode2AndNamesTheProblem() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, config(URI.create("http://127.0.0.1:9"), "legacy")
                .replace("tokens: { controller: { env: ROUTER_TOKEN } }", "tokens: {}"));
        CommandLine cl = HikkoshiCommand.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("router", "-c", file.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: config " + file + " has 1 problem:\n"
                + "  router.admin.tokens: {} (expected: a map of token names to {env: VARIABLE}, such as"
                + " {controller: {env: HIKKOSHI_ROUTER_TOKEN}} (the admin API refuses every request without one))\n"
                + "hint: fix the values named above (docs/config.md describes every key) and try again\n");
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static String awaitLine(List<String> lines, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                for (String l : lines) {
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
    }

    private static String awaitFileLine(Process p, List<String> out, Path file, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                for (String l : Files.readAllLines(file)) {
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + file + " (child "
                + (p.isAlive() ? "alive" : "exited " + p.exitValue()) + ")\n--- its stderr:\n" + Files.readString(file)
                + "\n--- its stdout:\n" + String.join("\n", out) + "\n--- its threads:\n" + threadDump(p));
    }

    /** The child's threads, to see where a signal handler is stuck. */
    private static String threadDump(Process p) throws Exception {
        if (!p.isAlive()) {
            return "(none)";
        }
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(p.pid()), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(20, TimeUnit.SECONDS);
        return dump;
    }
}
