package dev.hikkoshi.core.config;

/** One thing wrong with a config file, printed as {@code path: value (expected: ...)}. */
public record ConfigProblem(String path, String value, String expected) {
    @Override
    public String toString() {
        return path + ": " + value + " (expected: " + expected + ")";
    }
}
