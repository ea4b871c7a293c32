package dev.hikkoshi.sandbox.db;

/**
 * A fresh, empty schema of the same name on the source and on the target server, given to each test by
 * {@link FreshSchemaExtension} and dropped after it.
 */
public record SchemaPair(SandboxSchema source, SandboxSchema target) {
    public String name() {
        return source.name();
    }
}
