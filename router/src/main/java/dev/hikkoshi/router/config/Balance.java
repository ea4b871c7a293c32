package dev.hikkoshi.router.config;

/** How a site spreads requests over its healthy upstreams ({@code balance:} of a site). */
public enum Balance {
    ROUND_ROBIN,
    LEAST_CONNECTIONS
}
