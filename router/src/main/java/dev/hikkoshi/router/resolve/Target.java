package dev.hikkoshi.router.resolve;

/**
 * An origin-form request target ({@code /path?query}, or {@code *}) split into its path and query (null
 * when there is none). The proxy's decoder ({@code router.http.RequestTarget}) has already turned an
 * absolute-form target into origin-form, refusing one whose authority differs from Host, so the resolver
 * does not check that again.
 */
record Target(String path, String query, boolean asterisk) {
    static Target parse(String uri) {
        if (uri.equals("*")) {
            return new Target("*", null, true);
        }
        String rest = uri;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        return new Target(path.isEmpty() ? "/" : path, q < 0 ? null : rest.substring(q + 1), false);
    }

    /** The target to forward when no rule changed the path. */
    String originForm() {
        if (asterisk) {
            return "*";
        }
        return query == null ? path : path + "?" + query;
    }
}
