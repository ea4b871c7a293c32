package dev.hikkoshi.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.HikkoshiCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hikkoshi check router|tenant} as a monitor runs them: the status line and the exit code. */
class CheckCommandTest {
    @TempDir
    Path dir;

    private FakeRouterAdmin admin;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        admin = new FakeRouterAdmin();
        RouterOptions.environment = Map.of("ROUTER_TOKEN", FakeRouterAdmin.TOKEN);
    }

    @AfterEach
    void stop() {
        admin.close();
        RouterOptions.environment = System.getenv();
    }

    private int run(String... args) {
        CommandLine cl = HikkoshiCommand.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private Path config(String routerUrl) throws Exception {
        Path c = dir.resolve("hikkoshi.yaml");
        Files.writeString(c, """
                environment: production
                sites: { legacy: {}, cloud: {} }
                tenants: { list: [ { name: acme, id: 1 } ] }
                controller:
                  routers: [ { admin: "%s", token-env: ROUTER_TOKEN } ]
                """.formatted(routerUrl));
        return c;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void checkRouter_reachableAndHealthy_isOkWithPerfData() throws Exception {
        int code = run("check", "router", "-c", config(admin.url()).toString());
        assertThat(out.toString()).isEqualTo("HIKKOSHI ROUTER OK - 1 of 1 routers up, table version 7, 1,100 requests"
                + " in 1m, 5xx 0.27%, p99 10ms | routers_up=1;;0.5;0;1 table_version=7;;;0; requests=1100c;;;0;"
                + " error_rate=0.27%;1;5;0;100 p99=10ms;;;0;\n");
        assertThat(code).isZero();
    }

    @Test
    void checkRouter_errorRateAboveCritical_isCritical() throws Exception {
        admin.stats(1000, 80, 9);
        int code = run("check", "router", "-c", config(admin.url()).toString(), "--warning-p99", "500",
                "--critical-p99", "2000");
        assertThat(out.toString()).startsWith("HIKKOSHI ROUTER CRITICAL - 5xx rate 7.27% above 5%; p99 1000ms above 500ms"
                + " (1 of 1 routers up, table version 7, 1,100 requests in 1m, 5xx 7.27%, p99 1000ms) | ");
        assertThat(code).isEqualTo(2);
    }

    @Test
    void checkRouter_unreachable_isCritical() throws Exception {
        int port = freePort();
        int code = run("check", "router", "-c", config("http://127.0.0.1:" + port).toString());
        assertThat(out.toString()).isEqualTo("HIKKOSHI ROUTER CRITICAL - router admin http://127.0.0.1:" + port
                + " unreachable: connection refused (0 of 1 routers up, 0 requests in 1m, 5xx 0%, p99 0ms)"
                + " | routers_up=0;;0.5;0;1 table_version=0;;;0; requests=0c;;;0; error_rate=0%;1;5;0;100 p99=0ms;;;0;\n");
        assertThat(code).isEqualTo(2);
    }

    @Test
    void checkRouter_brokenConfig_isUnknown() throws Exception {
        Path c = dir.resolve("broken.yaml");
        Files.writeString(c, "environment: production\nsites: [legacy\n");
        int code = run("check", "router", "-c", c.toString());
        assertThat(out.toString()).isEqualTo("HIKKOSHI ROUTER UNKNOWN - config file " + c + " is not valid YAML at line 2,"
                + " column 15: while parsing a flow sequence (hint: fix the YAML syntax there (indentation with spaces,"
                + " a space after each ':', no duplicate keys))\n");
        assertThat(code).isEqualTo(3);
    }

    @Test
    void checkRouter_configWithoutRouters_isUnknownNamingTheKey() throws Exception {
        Path c = dir.resolve("norouters.yaml");
        Files.writeString(c, "environment: production\nsites: { legacy: {} }\ntenants: { list: [] }\n");
        int code = run("check", "router", "-c", c.toString());
        assertThat(out.toString()).isEqualTo("HIKKOSHI ROUTER UNKNOWN - config " + c + " has 1 problem:"
                + " controller.routers: (missing) (expected: a list of routers [{admin: http://HOST:PORT, token-env: VAR}]"
                + " (or router.admin for the embedded router)) (hint: fix the values named above (docs/config.md"
                + " describes every key) and try again)\n");
        assertThat(code).isEqualTo(3);
    }

    @Test
    void checkRouter_usageError_isUnknownNotTwo() {
        int code = run("check", "router", "--window", "soon");
        assertThat(out.toString()).isEqualTo("HIKKOSHI ROUTER UNKNOWN - Invalid value for option '--window': 'soon' is"
                + " not a duration such as 500ms, 10s, 1m or 2h (run 'hikkoshi check router --help' for usage)\n");
        assertThat(code).isEqualTo(3);
    }

    @Test
    void checkRouter_wrongToken_isUnknown() throws Exception {
        RouterOptions.environment = Map.of("ROUTER_TOKEN", "wrong");
        int code = run("check", "router", "-c", config(admin.url()).toString());
        assertThat(out.toString()).startsWith("HIKKOSHI ROUTER UNKNOWN - router admin " + admin.url()
                + " refused the token (401); check the token variable");
        assertThat(code).isEqualTo(3);
    }

    @Test
    void checkRouter_routersDisagreeOnTableVersion_warns() throws Exception {
        try (FakeRouterAdmin other = new FakeRouterAdmin()) {
            other.documents.put("/health", "{\"status\":\"ok\",\"tableVersion\":6}");
            Path c = dir.resolve("two.yaml");
            Files.writeString(c, """
                    sites: { legacy: {} }
                    tenants: { list: [] }
                    controller:
                      routers: [ { admin: "%s", token-env: ROUTER_TOKEN }, { admin: "%s", token-env: ROUTER_TOKEN } ]
                    """.formatted(admin.url(), other.url()));
            int code = run("check", "router", "-c", c.toString());
            assertThat(out.toString()).startsWith("HIKKOSHI ROUTER WARNING - routers disagree on the table version: [6, 7]"
                    + " (2 of 2 routers up, table version 7, 2,200 requests in 1m");
            assertThat(code).isEqualTo(1);
        }
    }

    @Test
    void checkTenant_onItsSite_isOkWithItsOwnNumbers() throws Exception {
        int code = run("check", "tenant", "globex", "--router", admin.url(), "--token-env", "ROUTER_TOKEN");
        assertThat(out.toString()).isEqualTo("HIKKOSHI TENANT OK - tenant globex on legacy, frozen (table version 7),"
                + " 100 requests in 1m, 5xx 0%, p99 10ms | requests=100c;;;0; error_rate=0%;1;5;0;100 p99=10ms;;;0;"
                + " frozen=1;;;0;1\n");
        assertThat(code).isZero();
    }

    @Test
    void checkTenant_unreachable_isCritical_andBadName_isUnknown() throws Exception {
        int port = freePort();
        assertThat(run("check", "tenant", "acme", "--router", "http://127.0.0.1:" + port, "--token-env",
                "ROUTER_TOKEN")).isEqualTo(2);
        assertThat(out.toString()).isEqualTo("HIKKOSHI TENANT CRITICAL - tenant acme: no router reachable (router admin"
                + " http://127.0.0.1:" + port + " unreachable: connection refused)\n");
        out.getBuffer().setLength(0);
        assertThat(run("check", "tenant", "-bad", "--router", admin.url(), "--token-env", "ROUTER_TOKEN")).isEqualTo(3);
        assertThat(out.toString()).startsWith("HIKKOSHI TENANT UNKNOWN - ");
    }
}
