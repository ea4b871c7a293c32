/**
 * The contract between change capture (binlog tailer, trigger change log, checksum differential) and the
 * streams that apply a tenant's changes to the other site. A {@link ChangeCapture} reads one source server
 * and hands {@link ChangeTransaction}s, in the source's commit order, to each subscribed {@link ChangeSink};
 * the stream decides which changes belong to its tenant and applies them by key.
 */
package dev.hikkoshi.data.capture;
