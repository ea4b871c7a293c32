package dev.hikkoshi.data.connect;

import java.sql.SQLException;

/**
 * A database statement failed for a reason that is not the user's to fix (lost connection, deadlock, a bug
 * in hikkoshi's SQL). The message names what was being done, on which server, and the SQLSTATE and error
 * code; it never carries row values or passwords.
 */
public class DatabaseException extends RuntimeException {
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int DEADLOCK = 1213;
    private final String sqlState;
    private final int errorCode;

    public DatabaseException(String doing, String server, SQLException cause) {
        super(doing + " on " + server + " failed: " + SiteDatabase.driverMessage(cause) + " (SQLSTATE " + cause.getSQLState()
                + ", error " + cause.getErrorCode() + ")", cause);
        this.sqlState = cause.getSQLState();
        this.errorCode = cause.getErrorCode();
    }

    /**
     * A deadlock (InnoDB rolled the transaction back) or a lock wait timeout (the statement gave up): the
     * answer is to run the whole transaction again, a few times, not to report a failure at once.
     */
    public static boolean isTransientLock(SQLException e) {
        return e.getErrorCode() == DEADLOCK || e.getErrorCode() == LOCK_WAIT_TIMEOUT;
    }

    public String sqlState() {
        return sqlState;
    }

    public int errorCode() {
        return errorCode;
    }
}
