package dev.hikkoshi.router.proxy;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an {@link Exchange} is; each phase names the phases it may move to, and {@code Exchange.moveTo}
 * refuses any other move.
 */
enum ExchangePhase {
    ROUTING,
    /** Admitted but the tenant is frozen: the client is not read until the gate decides. */
    HELD,
    /** Waiting for an upstream connection (again after a stale pooled one). */
    CONNECTING,
    FORWARDING,
    UPGRADED,
    /** The proxy answers itself (refusal, failure, timeout); leftover request bytes are dropped. */
    LOCAL,
    DONE;

    static {
        for (ExchangePhase p : values()) {
            p.successors = p.allowed();
        }
    }

    private Set<ExchangePhase> successors;

    Set<ExchangePhase> successors() {
        return successors;
    }

    private Set<ExchangePhase> allowed() {
        return switch (this) {
            case ROUTING -> EnumSet.of(HELD, CONNECTING, LOCAL, DONE);
            case HELD -> EnumSet.of(HELD, CONNECTING, LOCAL, DONE);
            case CONNECTING -> EnumSet.of(FORWARDING, LOCAL, DONE);
            case FORWARDING -> EnumSet.of(CONNECTING, UPGRADED, LOCAL, DONE);
            case UPGRADED, LOCAL -> EnumSet.of(DONE);
            case DONE -> EnumSet.noneOf(ExchangePhase.class);
        };
    }
}
