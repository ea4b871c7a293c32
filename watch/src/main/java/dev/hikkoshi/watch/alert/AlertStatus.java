package dev.hikkoshi.watch.alert;

/** Whether an evaluation found the condition true ({@code firing}) or no longer true ({@code resolved}). */
public enum AlertStatus {
    FIRING,
    RESOLVED
}
