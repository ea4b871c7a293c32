package dev.hikkoshi.data.trigger;

import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;

import dev.hikkoshi.data.capture.WriteMarker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The names of what the trigger capture installs for one application schema: the change-log table
 * {@code hikkoshi.changes_<schema>} and the triggers {@code hk_ai_<table>}, {@code hk_au_<table>},
 * {@code hk_ad_<table>} in the application's schema. Names longer than MySQL's 64 characters are cut and
 * given a hash suffix, so they stay unique. One change log per application schema keeps two schemas on one
 * server (or two tests on one sandbox server) from sharing ids.
 *
 * <p>Columns: {@code id} (AUTO_INCREMENT, the drain order), {@code table_name}, {@code kind} (I, U or D),
 * {@code own_write} (1 when the writing session had {@code @hikkoshi_write} set: hikkoshi's own write),
 * {@code column_names} (the recorded columns, comma-separated, with {@code %} and {@code ,} escaped as
 * {@code %25} and {@code %2C}), {@code old_values} and {@code new_values} (per column {@code N} for NULL or
 * the hex of its stored bytes, comma-separated) and {@code changed_unix} (UNIX_TIMESTAMP() of the change).
 */
record ChangeLogTable(String applicationSchema) {
    static final String TRIGGER_PREFIX = "hk_";
    static final int MAX_NAME = 64;

    String name() {
        return shorten("changes_" + applicationSchema);
    }

    String qualifiedName() {
        return qualified(WriteMarker.SCHEMA, name());
    }

    /** MySQL 5.0 syntax: InnoDB for row locks (the drain's locking read), utf8 for table names. */
    String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedName() + " ("
                + "id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                + " table_name VARCHAR(64) NOT NULL,"
                + " kind CHAR(1) NOT NULL,"
                + " own_write TINYINT NOT NULL,"
                + " column_names TEXT NOT NULL,"
                + " old_values TEXT NULL,"
                + " new_values TEXT NULL,"
                + " changed_unix BIGINT NOT NULL"
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8";
    }

    /**
     * {@code hikkoshi.consumers_<schema>}: every named stream reading this change log, with the last id it
     * checkpointed. Kept on the source because several processes may drain one change log (two moves run by
     * separate commands): a purge deletes only what every consumer, in any process, has passed.
     */
    String consumersName() {
        return shorten("consumers_" + applicationSchema);
    }

    String consumersQualifiedName() {
        return qualified(WriteMarker.SCHEMA, consumersName());
    }

    String createConsumersStatement() {
        return "CREATE TABLE IF NOT EXISTS " + consumersQualifiedName() + " ("
                + "consumer VARCHAR(190) NOT NULL PRIMARY KEY,"
                + " acked_id BIGINT UNSIGNED NOT NULL"
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8";
    }

    /** {@code hk_ai_orders}: after-insert trigger of table {@code orders}. */
    static String triggerName(TriggerEvent event, String table) {
        return shorten(TRIGGER_PREFIX + "a" + event.letter() + "_" + table);
    }

    static String shorten(String name) {
        if (name.length() <= MAX_NAME) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return name.substring(0, MAX_NAME - 9) + "_" + HexFormat.of().formatHex(hash, 0, 4).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
