package dev.hikkoshi.data.capture;

/** What happened to a row; differential sync only knows that a row differs. */
public enum ChangeKind {
    INSERT,
    UPDATE,
    DELETE,
    /** The row differs between the sites, how is unknown (differential mode): re-read it. */
    DIFFERS
}
