package dev.hikkoshi.router.resolve;

import java.util.Locale;

/**
 * A request target split into what the resolver needs (RFC 9112 section 3.2): the authority of an
 * absolute-form target (null for origin-form), the path and the query (null when there is none).
 */
record Target(String authority, String defaultPort, String path, String query, boolean asterisk) {
    static Target parse(String uri) {
        if (uri.equals("*")) {
            return new Target(null, null, "*", null, true);
        }
        String lower = uri.length() > 8 ? uri.substring(0, 8).toLowerCase(Locale.ROOT) : uri.toLowerCase(Locale.ROOT);
        String authority = null;
        String defaultPort = null;
        String rest = uri;
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            int start = lower.startsWith("http://") ? 7 : 8;
            defaultPort = start == 7 ? "80" : "443";
            int end = start;
            while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
                end++;
            }
            authority = uri.substring(start, end);
            rest = uri.substring(end);
        }
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? null : rest.substring(q + 1);
        if (path.isEmpty()) {
            path = "/";
        }
        return new Target(authority, defaultPort, path, query, false);
    }

    /** The target to forward when no rule changed the path. */
    String originForm() {
        if (asterisk) {
            return "*";
        }
        return query == null ? path : path + "?" + query;
    }
}
