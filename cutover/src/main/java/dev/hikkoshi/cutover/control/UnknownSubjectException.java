package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;

/**
 * A refusal because the plan has no such tenant or wave: the admin API answers it with 404 where other
 * refusals get 409. Thrown by {@link AuditedOperations} (and by a controller that knows better).
 */
public class UnknownSubjectException extends UserException {
    public UnknownSubjectException(String message, String hint) {
        super(message, hint);
    }
}
