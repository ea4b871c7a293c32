package dev.hikkoshi.cutover.hook;

import dev.hikkoshi.core.config.ConfigNode;

/** When in a move a hook runs; spelled in the config and in {@code HIKKOSHI_HOOK} as {@code before-freeze}, .... */
public enum HookPoint {
    /** Before the routers freeze the tenant (stop its workers); a failure aborts the move. */
    BEFORE_FREEZE,
    /** After the tenant was placed on its new site and released (start its workers there, flush caches). */
    AFTER_SWITCH,
    /** After a rollback placed the tenant back on its old site. */
    AFTER_ROLLBACK;

    /** {@code before-freeze}. */
    public String spelling() {
        return ConfigNode.spelling(this);
    }
}
