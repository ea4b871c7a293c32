package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ByteSize;
import dev.hikkoshi.core.config.ConfigNode;
import java.time.Duration;

/**
 * How the freeze gate holds a frozen tenant's requests ({@code router.freeze}): at most {@code maxHeldPerTenant}
 * requests and {@code maxHeldBytesPerTenant} buffered bytes per tenant, each for at most {@code maxHold};
 * a freeze force-closes the tenant's requests still open after {@code drainGrace} (WebSockets, server-sent
 * events, long polls).
 */
public record FreezeConfig(int maxHeldPerTenant, ByteSize maxHeldBytesPerTenant, Duration maxHold,
                           Duration drainGrace) {
    public static final FreezeConfig DEFAULTS = new FreezeConfig(1000, ByteSize.ofMiB(64), Duration.ofSeconds(10),
            Duration.ofSeconds(5));

    static FreezeConfig bind(ConfigNode node) {
        node.allowOnly("max-held-per-tenant", "max-held-bytes-per-tenant", "max-hold", "drain-grace");
        int maxHeld = (int) node.get("max-held-per-tenant").integer(DEFAULTS.maxHeldPerTenant(), 0, 1_000_000);
        ByteSize maxBytes = node.get("max-held-bytes-per-tenant").size(DEFAULTS.maxHeldBytesPerTenant(), new ByteSize(0));
        Duration maxHold = node.get("max-hold").duration(DEFAULTS.maxHold(), Duration.ofMillis(1));
        Duration grace = node.get("drain-grace").duration(DEFAULTS.drainGrace(), Duration.ZERO);
        return new FreezeConfig(maxHeld, maxBytes, maxHold, grace);
    }
}
