package dev.hikkoshi.data.stream;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.capture.ChangeCapture;
import java.util.Locale;

/**
 * Opens the change capture a source site's config asks for ({@code sites.NAME.database.capture}). A mode whose
 * capture this build does not have is refused with a message naming it, never replaced by another mode.
 * Used by {@code hikkoshi data sync} and {@code data uninstall}.
 */
public final class Captures {
    private Captures() {
    }

    /** The capture reading {@code source}'s changes in its configured mode. */
    public static ChangeCapture open(SiteDatabase source) {
        CaptureMode mode = source.config().capture();
        // The binlog tailer (branch capture-binlog) and the trigger and differential captures (branch
        // capture-triggers) plug in here, one case per mode, when merged.
        switch (mode) {
            case BINLOG, TRIGGERS, DIFFERENTIAL -> throw notAvailable(source, mode);
        }
        throw new IllegalStateException("unreachable: " + mode);
    }

    static UserException notAvailable(SiteDatabase source, CaptureMode mode) {
        String name = mode.name().toLowerCase(Locale.ROOT);
        return new UserException("capture mode " + name + " of site " + source.config().site()
                + " is not available in this build of hikkoshi",
                "use a build that includes the " + name + " capture, or set sites." + source.config().site()
                        + ".database.capture to a mode this build has");
    }
}
