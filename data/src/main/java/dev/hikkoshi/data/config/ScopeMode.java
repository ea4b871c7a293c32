package dev.hikkoshi.data.config;

/** Whether moves copy one tenant's rows ({@code tenant}, the default) or every row of every table. */
public enum ScopeMode {
    /** Each table is classified (tenant column, join path, shared or skipped); a move copies one tenant. */
    TENANT,
    /** Every table not skipped is copied in full: a whole schema moves at once. */
    WHOLE_SCHEMA
}
