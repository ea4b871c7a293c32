package dev.hikkoshi.core.routing;

import dev.hikkoshi.core.tenant.TenantId;
import java.util.List;

/** A freeze whose drain did not complete: lists the requests still open so that nobody claims a false drain. */
public class FreezeFailedException extends RuntimeException {
    private final TenantId tenant;
    private final List<String> openRequests;

    public FreezeFailedException(TenantId tenant, String router, List<String> openRequests) {
        super("freeze of tenant " + tenant + " on router " + router + " did not drain: "
                + openRequests.size() + " request(s) still open: " + String.join(", ", openRequests));
        this.tenant = tenant;
        this.openRequests = List.copyOf(openRequests);
    }

    public TenantId tenant() {
        return tenant;
    }

    public List<String> openRequests() {
        return openRequests;
    }
}
