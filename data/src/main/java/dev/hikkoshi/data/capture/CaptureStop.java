package dev.hikkoshi.data.capture;

/**
 * Why a capture stopped handing out changes. Never a silent skip: each of these stops the streams it feeds
 * until an operator acts ({@code hikkoshi data resume} after a schema change applied on both sites).
 */
public sealed interface CaptureStop {
    /** A one-line message naming what happened and where, with the fix. */
    String message();

    /** A DDL statement touched an in-scope table. */
    record SchemaChanged(String table, String statement, CapturePosition at) implements CaptureStop {
        @Override
        public String message() {
            return "table " + table + " was altered at " + at.text() + " (" + abbreviate(statement)
                    + "): apply the same change on both sites, then run 'hikkoshi data resume'";
        }
    }

    /** A statement-format event or an event type hikkoshi does not know. */
    record UnsupportedEvent(String description, CapturePosition at) implements CaptureStop {
        @Override
        public String message() {
            return "unsupported binlog event at " + at.text() + ": " + description;
        }
    }

    /** Reading the source failed (connection lost for good, retention no longer covers the position...). */
    record Failed(String reason, Throwable cause) implements CaptureStop {
        @Override
        public String message() {
            return reason;
        }
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 120 ? oneLine.substring(0, 117) + "..." : oneLine;
    }
}
