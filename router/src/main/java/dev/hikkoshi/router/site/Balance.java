package dev.hikkoshi.router.site;

/** How {@link SitePools} spreads a site's requests over its usable upstreams ({@code balance:} of a site). */
public enum Balance {
    /** Each pick starts one further along the list. */
    ROUND_ROBIN,
    /** The upstream with the fewest requests in flight; ties go round robin. */
    LEAST_CONNECTIONS
}
