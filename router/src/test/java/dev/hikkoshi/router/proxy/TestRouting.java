package dev.hikkoshi.router.proxy;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.route.Admission;
import dev.hikkoshi.router.route.InFlightRequest;
import dev.hikkoshi.router.route.RequestRouter;
import dev.hikkoshi.router.route.Route;
import dev.hikkoshi.router.route.RouteDecision;
import dev.hikkoshi.router.route.SiteUpstreams;
import dev.hikkoshi.router.route.TenantGate;
import dev.hikkoshi.router.route.UpstreamTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only stand-ins for the control plane at the seam: routing by the first label of Host (no Host: no
 * tenant, site "a"; tenant "reject": 404), a gate that can hold tenants, and round-robin site upstreams
 * recording the proxy's feedback.
 */
final class TestRouting implements RequestRouter, TenantGate, SiteUpstreams {
    final Map<String, SiteId> placement = new ConcurrentHashMap<>();
    final Map<SiteId, List<UpstreamTarget>> sites = new ConcurrentHashMap<>();
    final Set<String> frozen = ConcurrentHashMap.newKeySet();
    final Map<String, List<CompletableFuture<Admission>>> held = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final ConcurrentLinkedQueue<InFlightRequest> handles = new ConcurrentLinkedQueue<>();
    volatile boolean peerTrusted;
    private final AtomicInteger next = new AtomicInteger();

    static final SiteId A = SiteId.of("a");
    static final SiteId B = SiteId.of("b");

    void site(SiteId site, int... ports) {
        List<UpstreamTarget> targets = new ArrayList<>();
        for (int port : ports) {
            targets.add(new UpstreamTarget(site, "127.0.0.1", port, URI.create("http://127.0.0.1:" + port)));
        }
        sites.put(site, targets);
    }

    @Override
    public RouteDecision route(HttpRequest head, InetSocketAddress peer) {
        String host = head.headers().get(HttpHeaderNames.HOST);
        String label = host == null ? null : host.split("[.:]")[0];
        if ("reject".equals(label)) {
            return new RouteDecision.Rejected(HttpResponseStatus.NOT_FOUND, "unknown tenant");
        }
        Optional<TenantId> tenant = label == null || !TenantId.isValid(label) ? Optional.empty() : Optional.of(TenantId.of(label));
        SiteId site = label == null ? A : placement.getOrDefault(label, A);
        return new RouteDecision.Routed(new Route(tenant, site, head.uri(), peer.getAddress(), peerTrusted));
    }

    @Override
    public Admission admit(Route route, long bufferedBytes, InFlightRequest request) {
        String tenant = route.tenantLabel();
        events.add("admit " + tenant + " " + request.describe().split(" ")[1]);
        if (frozen.contains(tenant)) {
            CompletableFuture<Admission> outcome = new CompletableFuture<>();
            held.computeIfAbsent(tenant, k -> new ArrayList<>()).add(outcome);
            return new Admission.Held(outcome.thenApply(a -> a == null ? proceed(route.atSite(placement.getOrDefault(tenant, A)), request) : a));
        }
        return proceed(route, request);
    }

    private Admission proceed(Route route, InFlightRequest request) {
        inFlight.incrementAndGet();
        handles.add(request);
        AtomicInteger once = new AtomicInteger();
        return new Admission.Proceed(route, new InFlightRequest() {
            @Override
            public String describe() {
                return request.describe();
            }

            @Override
            public void forceClose() {
                request.forceClose();
            }

            @Override
            public void finish() {
                if (once.getAndIncrement() == 0) {
                    handles.remove(request);
                    inFlight.decrementAndGet();
                    finished.incrementAndGet();
                }
            }
        });
    }

    /** Releases every held request of the tenant to its current placement. */
    void release(String tenant) {
        frozen.remove(tenant);
        List<CompletableFuture<Admission>> outcomes = held.remove(tenant);
        if (outcomes != null) {
            outcomes.forEach(f -> f.complete(null));
        }
    }

    void refuseHeld(String tenant) {
        List<CompletableFuture<Admission>> outcomes = held.remove(tenant);
        if (outcomes != null) {
            outcomes.forEach(f -> f.complete(new Admission.Refuse(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    Duration.ofSeconds(2), "tenant " + tenant + " is being moved")));
        }
    }

    int heldCount(String tenant) {
        List<CompletableFuture<Admission>> outcomes = held.get(tenant);
        return outcomes == null ? 0 : outcomes.size();
    }

    @Override
    public Optional<UpstreamTarget> pick(SiteId site, Set<UpstreamTarget> exclude) {
        List<UpstreamTarget> targets = sites.getOrDefault(site, List.of()).stream().filter(t -> !exclude.contains(t)).toList();
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(targets.get(Math.floorMod(next.getAndIncrement(), targets.size())));
    }

    @Override
    public void started(UpstreamTarget upstream) {
        events.add("started " + upstream.port());
    }

    @Override
    public void finished(UpstreamTarget upstream) {
        events.add("finished " + upstream.port());
    }

    @Override
    public void connectFailed(UpstreamTarget upstream) {
        events.add("connectFailed " + upstream.port());
    }

    @Override
    public void responded(UpstreamTarget upstream, int status) {
        events.add("responded " + upstream.port() + " " + status);
    }
}
