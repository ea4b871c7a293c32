/**
 * The seam between the proxy's request path ({@code router.proxy}, {@code router.upstream}) and the router's
 * control plane (resolution, routing table, site pools, freeze gate). The proxy asks {@link RequestRouter}
 * where a request goes, asks {@link TenantGate} whether it may go now or must be held, picks an upstream from
 * {@link SiteUpstreams}, and reports each finished exchange to {@link ExchangeObserver}.
 */
package dev.hikkoshi.router.route;
