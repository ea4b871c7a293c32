package dev.hikkoshi.data.connect;

import java.sql.SQLException;

/**
 * A database statement failed for a reason that is not the user's to fix (lost connection, deadlock, a bug
 * in hikkoshi's SQL). The message names what was being done, on which server, and the SQLSTATE and error
 * code; it never carries row values or passwords.
 */
public class DatabaseException extends RuntimeException {
    private final String sqlState;
    private final int errorCode;

    public DatabaseException(String doing, String server, SQLException cause) {
        super(doing + " on " + server + " failed: " + SiteDatabase.driverMessage(cause) + " (SQLSTATE " + cause.getSQLState()
                + ", error " + cause.getErrorCode() + ")", cause);
        this.sqlState = cause.getSQLState();
        this.errorCode = cause.getErrorCode();
    }

    public String sqlState() {
        return sqlState;
    }

    public int errorCode() {
        return errorCode;
    }
}
