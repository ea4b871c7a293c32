package dev.hikkoshi.router.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.metrics.RouterMetrics;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin listener's behaviour at its edges: pipelining, a control without a table, all workers busy. */
@Timeout(30)
class AdminServerLimitsIT {
    private static final String TOKEN = "limits-token";
    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private AdminServer start(RouterControl control) {
        server = new AdminServer(new AdminSettings(new InetSocketAddress("127.0.0.1", 0),
                AdminTokens.of(Map.of("controller", TOKEN))), control, new RouterTrafficWindow(), age -> Map.of(), () -> "ok",
                RouterMetrics.newRegistry()).start();
        return server;
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder_onOneConnection() throws Exception {
        InMemoryRouterControl control = new InMemoryRouterControl();
        control.table.set(new RoutingTable(4, Map.of()));
        start(control);
        String auth = "Authorization: Bearer " + TOKEN + "\r\n";
        String pipelined = "POST /tenants/acme/freeze?drain-timeout=1s HTTP/1.1\r\nHost: a\r\n" + auth
                + "Content-Length: 0\r\n\r\n"
                + "GET /health HTTP/1.1\r\nHost: a\r\n" + auth + "\r\n"
                + "GET /nothing HTTP/1.1\r\nHost: a\r\n" + auth + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(pipelined.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            Matcher status = Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(all);
            List<String> statuses = new ArrayList<>();
            while (status.find()) {
                statuses.add(status.group(1));
            }
            assertThat(statuses).containsExactly("200", "200", "404");
            assertThat(all.indexOf("\"drainedRequests\"")).isLessThan(all.indexOf("\"status\":\"ok\""));
            assertThat(all).contains("{\"error\":\"no such admin endpoint: /nothing");
        }
    }

    @Test
    void whenEveryWorkerIsBusyWithAFreeze_anotherRequestGets503_andTheFreezesStillFinish() throws Exception {
        Semaphore entered = new Semaphore(0);
        CountDownLatch drain = new CountDownLatch(1);
        InMemoryRouterControl blocking = new InMemoryRouterControl() {
            @Override
            public FreezeReport freeze(TenantId tenant, Duration drainTimeout) {
                entered.release();
                try {
                    drain.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.freeze(tenant, drainTimeout);
            }
        };
        start(blocking);
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> freezes = new ArrayList<>();
        for (int i = 0; i < AdminServer.MAX_WORKERS; i++) {
            freezes.add(http.sendAsync(request("/tenants/t" + i + "/freeze?drain-timeout=5s", "POST"),
                    HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(entered.tryAcquire(AdminServer.MAX_WORKERS, 15, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> refused = get("/health");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("{\"error\":\"the admin API is busy with other requests; try again\"}");

        drain.countDown();
        for (CompletableFuture<HttpResponse<String>> f : freezes) {
            assertThat(f.get(15, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(request(path, "GET"), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String method) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
