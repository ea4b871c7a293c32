package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;

/**
 * A source row of the tenant would be written over the target's row of the same key, and that row is another
 * tenant's: the two sites gave one key to different rows. The key sync stops rather than overwrite it (on a
 * reverse sync's old site, or a new site serving moved tenants, that row is live). Thrown by {@link KeySync}; a
 * stream that hits it becomes FAILED with this message.
 */
public class OtherTenantRowException extends UserException {
    private final String table;
    private final String key;

    public OtherTenantRowException(String table, String key, String tenantId, String target) {
        super("table " + table + " on " + target + " has a row " + key + " that is not tenant id " + tenantId
                        + "'s (another tenant's, or no tenant's): the tenant's row with that key is not written over it",
                "the two sites gave this key to different rows: give one of them another key by hand, then run"
                        + " 'hikkoshi data resume'");
        this.table = table;
        this.key = key;
    }

    public String table() {
        return table;
    }

    /** The target row's key as text ({@code id=42}). */
    public String key() {
        return key;
    }
}
