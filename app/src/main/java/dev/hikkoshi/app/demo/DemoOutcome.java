package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.routing.RouterControl.FreezeReport;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Marker;
import dev.hikkoshi.sandbox.http.ExchangeLog;
import dev.hikkoshi.sandbox.http.LoadResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one demo run did and saw, for {@link DemoReport}: where things ran, the timeline of the move,
 * what the data move measured, what the freeze reported, every load response and the backends' event log.
 *
 * @param start           when the demo began; timeline offsets count from here
 * @param freezeReturned  the marker placed in the exchange log right after {@code freeze()} returned
 * @param releaseRequested the marker placed right before {@code release()} was called
 */
public record DemoOutcome(Map<SiteId, URI> sites, URI router, Path config, List<TenantId> tenants, int clients,
                          String hostPattern, String path, TenantId moved, SiteId from, SiteId to, Instant start,
                          List<Step> timeline, TenantDataMove.Figures data, FreezeReport freeze, Marker freezeReturned, Marker releaseRequested,
                          List<LoadResponse> responses, ExchangeLog log) {
    public DemoOutcome {
        sites = Map.copyOf(sites);
        tenants = List.copyOf(tenants);
        timeline = List.copyOf(timeline);
        responses = List.copyOf(responses);
    }

    /** One thing the demo did, and when. */
    public record Step(Instant at, String what) {
    }
}
