package dev.hikkoshi.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.HikkoshiCommand;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.http.ExchangeLog;
import dev.hikkoshi.sandbox.http.RecordingBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hikkoshi check router|tenant} against a real router's admin API (the AdminServer, not a stand-in). */
@Timeout(60)
class CheckRouterIT {
    private static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "it-secret");

    @TempDir
    Path dir;

    @AfterEach
    void resetEnvironment() {
        RouterOptions.environment = System.getenv();
    }

    private static String run(int[] code, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = HikkoshiCommand.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        code[0] = cl.execute(args);
        return out.toString();
    }

    @Test
    void checkRouterAndTenant_againstARealRouter_okWithItsTraffic() throws Exception {
        try (RecordingBackend legacy = RecordingBackend.start(SiteId.of("legacy"), new ExchangeLog())) {
            Path file = dir.resolve("hikkoshi.yaml");
            Files.writeString(file, """
                    sites: { legacy: { upstreams: ["%s"] } }
                    tenants: { list: [ { name: acme, id: 1 } ] }
                    state-dir: "%s"
                    router:
                      listen: 127.0.0.1:0
                      admin: { listen: 127.0.0.1:0, tokens: { monitor: { env: ROUTER_TOKEN } } }
                      tenant-from: [ { path: "/t/{tenant}/" } ]
                      unknown-tenant: legacy
                    """.formatted(legacy.uri(), dir.resolve("state")));
            try (Router router = Router.start(file, ENV)) {
                HttpClient http = HttpClient.newHttpClient();
                URI proxy = URI.create("http://127.0.0.1:" + router.proxyAddress().getPort() + "/t/acme/orders");
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(proxy).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                }
                RouterOptions.environment = ENV;
                String admin = "http://127.0.0.1:" + router.adminAddress().getPort();
                int[] code = new int[1];

                String line = run(code, "check", "router", "--router", admin, "--token-env", "ROUTER_TOKEN");
                assertThat(line).matches("HIKKOSHI ROUTER OK - 1 of 1 routers up, table version \\d+, 20 requests in 1m,"
                        + " 5xx 0%, p99 \\d+ms \\| routers_up=1;;0.5;0;1 table_version=\\d+;;;0; requests=20c;;;0;"
                        + " error_rate=0%;1;5;0;100 p99=\\d+ms;;;0;\n");
                assertThat(code[0]).isZero();

                line = run(code, "check", "tenant", "acme", "--router", admin, "--token-env", "ROUTER_TOKEN");
                assertThat(line).startsWith("HIKKOSHI TENANT OK - tenant acme ").contains(", 20 requests in 1m, 5xx 0%");
                assertThat(code[0]).isZero();

                RouterOptions.environment = Map.of("ROUTER_TOKEN", "not-the-token");
                line = run(code, "check", "router", "--router", admin, "--token-env", "ROUTER_TOKEN");
                assertThat(line).startsWith("HIKKOSHI ROUTER UNKNOWN - router admin " + admin
                        + " refused the token (401); check the token variable");
                assertThat(code[0]).isEqualTo(3);
            }
        }
    }
}
