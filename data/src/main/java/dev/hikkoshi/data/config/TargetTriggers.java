package dev.hikkoshi.data.config;

/**
 * The operator's answer for triggers on a target table in scope: they fire on every row hikkoshi writes
 * there (copy, change sync, repair), which may double side effects such as counters or audit rows.
 */
public enum TargetTriggers {
    /** Not answered: target triggers on this table are an inspection error. */
    REFUSE,
    /** The triggers may fire on hikkoshi's writes. */
    MAY_FIRE
}
