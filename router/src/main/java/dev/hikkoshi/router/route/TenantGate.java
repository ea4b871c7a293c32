package dev.hikkoshi.router.route;

/**
 * Admits a routed request now or holds it while its tenant is frozen, and keeps the count of each tenant's
 * in-flight requests that a freeze drains.
 */
public interface TenantGate {
    /**
     * @param route         the decided route
     * @param bufferedBytes bytes of this request the proxy already holds in memory (counts against the
     *                      per-tenant byte cap while held)
     * @param request       the in-flight handle the gate registers once the request proceeds
     */
    Admission admit(Route route, long bufferedBytes, InFlightRequest request);
}
