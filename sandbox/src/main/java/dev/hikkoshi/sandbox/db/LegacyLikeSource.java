package dev.hikkoshi.sandbox.db;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test (or a test class) whose {@link SchemaPair} source lives on the legacy-like server
 * ({@link ServerProfile#LEGACY_LIKE}) instead of the binlog-on source.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface LegacyLikeSource {
}
