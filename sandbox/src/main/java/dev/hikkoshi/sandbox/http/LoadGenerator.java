package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.tenant.TenantId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Drives a fixed number of concurrent HTTP/1.1 keep-alive clients against a loopback URL on behalf of a set of
 * tenants, bounded both in request count and in time, and logs every response with the site that served it
 * ({@link LoadResponse}). The demo and the router's tests use it to show that every request of every tenant is
 * answered while one tenant is frozen, switched and released. By default every request is {@code GET path}; a
 * {@link Workload} sends other methods and bodies and learns each outcome (the sandbox shop's reads and writes).
 *
 * <p>Client {@code i}'s {@code k}-th request is for tenant {@code (i + k * clients) mod tenants}: with as many
 * clients as tenants (or a multiple), each client keeps to one tenant, like a user of that tenant's site.
 *
 * <pre>{@code
 * LoadGenerator load = LoadGenerator.target(URI.create("http://127.0.0.1:" + port))
 *         .tenants(List.of(acme, globex)).addressing(TenantAddressing.host("{tenant}.shop.test"))
 *         .clients(4).maxRequests(10_000).duration(Duration.ofSeconds(10)).build();
 * try (LoadRun run = load.start()) {
 *     ...
 *     run.await(Duration.ofSeconds(30));
 *     LoadSummary summary = run.summary();
 * }
 * }</pre>
 */
public final class LoadGenerator {
    /** Load runs are for tests and demos on one machine: nothing runs longer than this. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);

    private final InetSocketAddress address;
    private final List<TenantId> tenants;
    private final TenantAddressing addressing;
    private final Workload workload;
    private final int clients;
    private final long maxRequests;
    private final Duration duration;
    private final Duration requestTimeout;
    private final Duration pause;
    private final double rate;

    private LoadGenerator(Builder b) {
        this.address = b.address;
        this.tenants = List.copyOf(b.tenants);
        this.addressing = b.addressing;
        this.workload = b.workload != null ? b.workload : Workload.get(b.path);
        this.clients = b.clients;
        this.maxRequests = b.maxRequests;
        this.duration = b.duration;
        this.requestTimeout = b.requestTimeout;
        this.pause = b.pause;
        this.rate = b.rate;
    }

    /** Starts describing a load against {@code http://127.0.0.1:PORT} (or another loopback address). */
    public static Builder target(URI target) {
        return new Builder(target);
    }

    /** Opens the clients and starts sending; the run stops by itself at the count or time bound. */
    public LoadRun start() {
        return new LoadRun(this);
    }

    InetSocketAddress address() {
        return address;
    }

    List<TenantId> tenants() {
        return tenants;
    }

    TenantAddressing addressing() {
        return addressing;
    }

    Workload workload() {
        return workload;
    }

    int clients() {
        return clients;
    }

    long maxRequests() {
        return maxRequests;
    }

    Duration duration() {
        return duration;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    Duration pause() {
        return pause;
    }

    /** Requests per second all clients together start at most; 0: as fast as they are answered. */
    double rate() {
        return rate;
    }

    /** Collects a load's settings; every setter fails at once on a bad value. */
    public static final class Builder {
        private final InetSocketAddress address;
        private List<TenantId> tenants;
        private TenantAddressing addressing;
        private String path = "/";
        private boolean pathSet;
        private Workload workload;
        private int clients = 4;
        private long maxRequests = 1_000;
        private Duration duration = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration pause = Duration.ZERO;
        private double rate;

        private Builder(URI target) {
            Objects.requireNonNull(target, "target");
            if (!"http".equals(target.getScheme()) || target.getHost() == null || target.getPort() <= 0) {
                throw new IllegalArgumentException("load target must be http://HOST:PORT, was " + target);
            }
            InetAddress host;
            try {
                host = InetAddress.getByName(target.getHost());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("load target host does not resolve: " + target.getHost(), e);
            }
            if (!host.isLoopbackAddress()) {
                throw new IllegalArgumentException("load target must be a loopback address, was " + target);
            }
            this.address = new InetSocketAddress(host, target.getPort());
        }

        public Builder tenants(List<TenantId> tenants) {
            if (tenants.isEmpty()) {
                throw new IllegalArgumentException("at least one tenant is needed");
            }
            this.tenants = List.copyOf(tenants);
            return this;
        }

        public Builder addressing(TenantAddressing addressing) {
            this.addressing = Objects.requireNonNull(addressing, "addressing");
            return this;
        }

        /** The path (and query) of every request after the tenant part, such as {@code /orders?delay-ms=5}. */
        public Builder path(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', was " + path);
            }
            this.path = path;
            this.pathSet = true;
            return this;
        }

        /** What to send instead of {@code GET path}: methods, bodies, and a callback with each outcome. */
        public Builder workload(Workload workload) {
            this.workload = Objects.requireNonNull(workload, "workload");
            return this;
        }

        public Builder clients(int clients) {
            if (clients < 1 || clients > 1024) {
                throw new IllegalArgumentException("clients must be 1 to 1024, was " + clients);
            }
            this.clients = clients;
            return this;
        }

        /** At most this many requests in all (the run may end earlier at its duration). */
        public Builder maxRequests(long maxRequests) {
            if (maxRequests < 1) {
                throw new IllegalArgumentException("maxRequests must be >= 1, was " + maxRequests);
            }
            this.maxRequests = maxRequests;
            return this;
        }

        /** No request is started after this much time (requests in flight then still finish). */
        public Builder duration(Duration duration) {
            if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("duration must be more than 0 and at most " + MAX_DURATION
                        + ", was " + duration);
            }
            this.duration = duration;
            return this;
        }

        /** A request without a response after this long counts as failed and its connection is closed. */
        public Builder requestTimeout(Duration requestTimeout) {
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
            }
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Each client waits this long between a response and its next request (keeps a demo light). */
        public Builder pause(Duration pause) {
            if (pause.isNegative()) {
                throw new IllegalArgumentException("pause must not be negative, was " + pause);
            }
            this.pause = pause;
            return this;
        }

        /**
         * Paces the clients together to start at most {@code requestsPerSecond} requests a second, evenly spaced
         * (a steady load for benchmarks); the clients bound how many are in flight. 0 (the default): unpaced.
         */
        public Builder rate(double requestsPerSecond) {
            if (!(requestsPerSecond >= 0) || requestsPerSecond > 1_000_000) {
                throw new IllegalArgumentException("rate must be 0 to 1000000 requests per second, was "
                        + requestsPerSecond);
            }
            this.rate = requestsPerSecond;
            return this;
        }

        public LoadGenerator build() {
            if (tenants == null) {
                throw new IllegalStateException("tenants(...) must be set");
            }
            if (addressing == null) {
                throw new IllegalStateException("addressing(...) must be set");
            }
            if (pathSet && workload != null) {
                throw new IllegalStateException("path(...) and workload(...) exclude each other");
            }
            return new LoadGenerator(this);
        }
    }
}
