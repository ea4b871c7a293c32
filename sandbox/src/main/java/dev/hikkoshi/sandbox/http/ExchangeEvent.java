package dev.hikkoshi.sandbox.http;

import java.time.Instant;

/**
 * What an {@link ExchangeLog} records. The {@link #sequence()} is global across every backend sharing the log
 * and strictly increasing in the order the events happened, so tests prove orderings ("the last in-flight
 * request completed before freeze returned") by comparing sequence numbers, never by timing.
 */
public sealed interface ExchangeEvent {
    long sequence();

    Instant time();

    /** The request head arrived at a backend (for a pipelined request: when the backend started on it). */
    record Received(long sequence, Instant time, BackendRequest request) implements ExchangeEvent {
    }

    /**
     * The backend finished the exchange: the last byte of its response was written ({@link Outcome#ANSWERED}),
     * or the connection closed before that ({@link Outcome#ABORTED}). Its sequence is that of the moment the
     * last byte was handed to the socket, before anyone could read it.
     *
     * @param status            the status the backend answered (or was about to answer)
     * @param requestBodyBytes  request body bytes the backend read
     * @param responseBodyBytes response body bytes the backend wrote
     */
    record Completed(long sequence, Instant time, BackendRequest request, int status, long requestBodyBytes,
                     long responseBodyBytes, Outcome outcome) implements ExchangeEvent {
    }

    /** A point placed by a test or the demo ("freeze returned"), ordered with the backends' events. */
    record Marker(long sequence, Instant time, String label) implements ExchangeEvent {
    }

    /** How an exchange ended at the backend. */
    enum Outcome {
        ANSWERED,
        ABORTED
    }
}
