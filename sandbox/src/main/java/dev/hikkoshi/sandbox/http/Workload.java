package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.tenant.TenantId;

/**
 * What a {@link LoadGenerator}'s clients send: asked for each request in turn, with the tenant the client serves
 * next. The default sends {@code GET} of one path; the sandbox shop's load ({@code ShopWorkload}) mixes reads and
 * writes and records every acknowledged write.
 *
 * <p>Concurrency: a run calls {@link #next} and the requests' completions on its one event loop thread, but
 * a workload shared by several runs is called from each run's thread.
 */
@FunctionalInterface
public interface Workload {
    /** The next request for {@code tenant}; a runtime exception stops the run ({@link LoadRun#workloadFailure()}). */
    LoadRequest next(TenantId tenant);

    /** Every request is {@code GET path}. */
    static Workload get(String path) {
        LoadRequest request = LoadRequest.get(path, LoadRequest.IGNORE);
        return tenant -> request;
    }
}
