package dev.hikkoshi.app.check;

/**
 * A command that follows the Nagios/Mackerel plugin convention rather than the CLI's: a usage error prints an
 * UNKNOWN status line and exits 3, not 2. {@code HikkoshiCommand}'s parameter handler asks for this interface.
 */
public interface PluginCommand {
    /** The service word of the status line, such as ROUTER. */
    String service();
}
