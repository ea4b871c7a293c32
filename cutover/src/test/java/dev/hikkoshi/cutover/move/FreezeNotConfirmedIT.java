package dev.hikkoshi.cutover.move;

import static dev.hikkoshi.cutover.move.StepsFixture.LEGACY;
import static dev.hikkoshi.cutover.move.StepsFixture.T1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.cutover.routing.RouterFleetException;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of two routers, the second in a child JVM that is stopped with SIGSTOP during the freeze (by the
 * before-freeze hook, after the fleet was brought up to date): the FROZEN step fails naming that router, the
 * abort step releases the tenant on the old site on the router that answers, and once the stopped router runs
 * again, bringing the fleet up to date releases the tenant there too.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class FreezeNotConfirmedIT {
    @TempDir
    Path dir;

    @Test
    void routerStoppedDuringTheFreeze_failsTheFrozenStep_andTheAbortReleasesTheTenantOnTheOldSite(SchemaPair pair)
            throws Exception {
        try (StepsFixture f = new StepsFixture(pair, dir, "5s")) {
            Path childConfig = dir.resolve("child.yaml");
            Files.writeString(childConfig, f.config(dir.resolve("child-state"), "5s"));
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx128m", RouterChild.class.getName(),
                    childConfig.toString()).redirectErrorStream(true).start();
            try {
                int childPort = adminPort(child);
                RouterControl main = f.httpControl(f.router, Duration.ofSeconds(2));
                RouterControl stopped = new dev.hikkoshi.router.admin.HttpRouterControl(
                        java.net.URI.create("http://127.0.0.1:" + childPort), StepsFixture.ENV.get("ROUTER_TOKEN"),
                        Duration.ofSeconds(10)); // longer than the fleet's call timeout, which must decide
                MoveHooks hooks = MoveHooks.NONE.withBeforeFreeze(a -> signal("STOP", child));
                f.steps(List.of(main, stopped), hooks, Duration.ofSeconds(2));
                MoveAttempt frozen = new MoveAttempt(T1, "pilot", 1, LEGACY, StepsFixture.CLOUD, MoveState.FROZEN, Map.of());

                long started = System.nanoTime();
                assertThatThrownBy(() -> f.run(frozen)).isInstanceOf(RouterFleetException.class)
                        .satisfies(e -> assertThat(((RouterFleetException) e).routers())
                                .containsExactly(stopped.name()))
                        .hasMessageContaining("not confirmed by 1 of 2 router(s): " + stopped.name()
                                + ": no answer within 2000 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

                StepOutcome aborted = f.run(frozen.advance(MoveState.ABORTING, Map.of()));
                assertThat(aborted.next()).isEqualTo(MoveState.PLANNED);
                assertThat(aborted.reason()).startsWith("released on legacy by 1 of 2 router(s); not answering");
                assertThat(f.router.routingTable().placement(T1)).contains(Placement.at(LEGACY));
                HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                f.proxy().resolve("/t/t1/update?id=1001&note=after-abort")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.headers().firstValue("X-Served-By")).contains("legacy");

                signal("CONT", child);
                // Running again, it first serves the pushes that waited in its sockets, which froze the tenant there.
                long version = f.steps.fleet().table().version();
                Boolean caughtUp = StepsFixture.within(Duration.ofSeconds(20),
                        x -> stopped.appliedVersion() >= version ? Boolean.TRUE : null);
                assertThat(caughtUp).as("the resumed router applied version %d", version).isTrue();
                f.steps.fleet().bringUpToDate();
                assertThat(stopped.table().placement(T1)).contains(Placement.at(LEGACY));
                assertThat(stopped.appliedVersion()).isEqualTo(f.steps.fleet().table().version());
            } finally {
                signal("CONT", child);
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int adminPort(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("admin-port ")) {
                        return Integer.parseInt(line.substring(11).trim());
                    }
                }
                throw new IllegalStateException("the child router exited before it listened");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        int p = port.get(60, TimeUnit.SECONDS);
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException e) {
                // the child is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private static void signal(String signal, Process child) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
}
