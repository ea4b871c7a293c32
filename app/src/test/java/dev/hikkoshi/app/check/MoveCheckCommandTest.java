package dev.hikkoshi.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.data.DataCommandIT;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hikkoshi check move} when it cannot ask: an unreachable controller is CRITICAL, a broken config UNKNOWN. */
class MoveCheckCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void resetEnvironment() {
        RouterOptions.environment = System.getenv();
    }

    @Test
    void unreachableController_isCritical() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path config = dir.resolve("hikkoshi.yaml");
        Files.writeString(config, """
                sites: { legacy: {}, cloud: {} }
                tenants: { list: [ { name: acme, id: 1 } ] }
                controller:
                  admin: { listen: 127.0.0.1:%d, tokens: { monitor: { env: HK_TOKEN } } }
                """.formatted(port));
        RouterOptions.environment = Map.of("HK_TOKEN", "secret-1");

        DataCommandIT.Run run = DataCommandIT.run("check", "move", "-c", config.toString(), "--timeout", "2s");

        assertThat(run.out()).startsWith("HIKKOSHI MOVE CRITICAL - cannot reach the controller at http://127.0.0.1:" + port);
        assertThat(run.exitCode()).isEqualTo(2);
    }

    @Test
    void brokenConfig_andBadThresholds_areUnknown() throws Exception {
        Path config = dir.resolve("hikkoshi.yaml");
        Files.writeString(config, "controller: { admin: { listen: nowhere } }\n");

        DataCommandIT.Run run = DataCommandIT.run("check", "move", "-c", config.toString());
        assertThat(run.out()).startsWith("HIKKOSHI MOVE UNKNOWN - ");
        assertThat(run.exitCode()).isEqualTo(3);

        DataCommandIT.Run thresholds = DataCommandIT.run("check", "move", "-c", config.toString(), "--warning-age", "9",
                "--critical-age", "1");
        assertThat(thresholds.exitCode()).isEqualTo(3);
    }
}
