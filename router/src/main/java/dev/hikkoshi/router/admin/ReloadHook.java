package dev.hikkoshi.router.admin;

import dev.hikkoshi.core.config.ConfigException;

/**
 * Re-reads and applies the router's config file; supplied by the router's assembly and called by
 * {@code POST /reload} (and by the assembly itself on SIGHUP).
 */
@FunctionalInterface
public interface ReloadHook {
    /**
     * Validates the file first and applies it only if it is valid.
     *
     * @return one line saying what changed, for the answer and the log
     * @throws ConfigException listing every problem, when the file is invalid (the old config keeps serving)
     */
    String reload();
}
