package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.differential.DifferentialCapture;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.data.trigger.TriggerCapture;
import dev.hikkoshi.data.verify.Verifier;
import dev.hikkoshi.data.verify.VerifySide;
import dev.hikkoshi.data.verify.VerifyTables;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.config.CaptureMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change captures a controller reads, opened on first use in each site's configured mode and kept open for
 * every move: one binlog tailer or one trigger capture per source site (shared by all tenants' streams, never one
 * replication connection per tenant), one checksum differential per tenant and direction (it compares one
 * tenant's rows of two sites). Used by {@link MoveData}; closing it closes them all.
 */
final class SiteCaptures implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SiteCaptures.class);

    private final Map<String, ChangeCapture> open = new LinkedHashMap<>();
    /** Per source site: notes share it, a removal of the trigger capture takes it alone. */
    private final Map<String, ReentrantReadWriteLock> removal = new ConcurrentHashMap<>();

    /** The capture reading {@code source}'s changes for a stream to {@code target}; opened (and installed) once. */
    synchronized ChangeCapture of(SiteDatabase source, SiteDatabase target, TenantScope scope, Schema targetSchema,
                                  Tenant tenant) {
        String key = switch (source.config().capture()) {
            case BINLOG, TRIGGERS -> "site:" + source.config().site();
            case DIFFERENTIAL -> "differential:" + source.config().site() + ">" + target.config().site() + "/" + tenant.id();
        };
        ChangeCapture found = open.get(key);
        if (found != null) {
            return found;
        }
        ChangeCapture capture = switch (source.config().capture()) {
            case BINLOG -> BinlogTailer.open(source, source.inspector().inspect(source.schema()));
            case TRIGGERS -> {
                TriggerCapture triggers = triggers(source, scope);
                triggers.install();
                yield triggers;
            }
            case DIFFERENTIAL -> new DifferentialCapture(new Verifier(side(source), side(target),
                    Verifier.Options.defaults()), VerifyTables.forTenant(scope, targetSchema, tenant, source.config(),
                    target.config()), DifferentialCapture.Options.of(source.config().differential()));
        };
        log.info("{} capture opened on {}", capture.mode(), source.describe());
        open.put(key, capture);
        return capture;
    }

    /**
     * {@code source}'s position now, noted for {@code consumer}'s stream that starts from it later (see
     * {@link ChangeCapture#notePosition}). Under the site's removal lock, shared, so that no
     * {@link #uninstallUnlessRead} runs between a capture's opening and the note (the noted position would be in a
     * change log about to be dropped), while notes of other tenants go on at once: a note can wait on the source (a
     * locking read behind an open transaction), and a tenant's switch notes in its freeze.
     */
    dev.hikkoshi.data.capture.CapturePosition note(SiteDatabase source, SiteDatabase target, TenantScope scope,
                                                  Schema targetSchema, Tenant tenant, String consumer) {
        Lock shared = removalLock(source).readLock();
        shared.lock();
        try {
            return of(source, target, scope, targetSchema, tenant).notePosition(consumer);
        } finally {
            shared.unlock();
        }
    }

    private ReentrantReadWriteLock removalLock(SiteDatabase source) {
        return removal.computeIfAbsent(source.config().site().value(), k -> new ReentrantReadWriteLock());
    }

    /**
     * Forgets {@code consumer} of {@code source}'s trigger change log, whether or not this process has the capture
     * open (a finalize after a restart): what only it held back may be purged, and it no longer keeps the triggers.
     * The binlog and differential captures keep nothing for consumers.
     */
    void forget(SiteDatabase source, TenantScope scope, String consumer) {
        if (source.config().capture() != CaptureMode.TRIGGERS) {
            return;
        }
        ChangeCapture running;
        synchronized (this) {
            running = open.get("site:" + source.config().site());
        }
        if (running != null) {
            running.forget(consumer);
        } else {
            triggers(source, scope).forget(consumer);
        }
    }

    /** What {@link #uninstallUnlessRead} did: the consumers it kept the trigger capture for, or the objects removed. */
    record TriggerRemoval(List<String> keptFor, int removed) {
    }

    /**
     * Removes what the trigger capture installed on {@code source} (finalize) unless a consumer is still recorded
     * on its change log: another tenant's stream, running or noted to start (in any process). The capture is
     * closed first. The binlog and differential captures install nothing on a source.
     */
    TriggerRemoval uninstallUnlessRead(SiteDatabase source, TenantScope scope) {
        Lock exclusive = removalLock(source).writeLock();
        exclusive.lock();
        try {
            TriggerCapture triggers = triggers(source, scope);
            List<String> readers = triggers.consumers();
            if (!readers.isEmpty()) {
                return new TriggerRemoval(readers, 0);
            }
            ChangeCapture running;
            synchronized (this) {
                running = open.remove("site:" + source.config().site());
            }
            if (running != null) {
                running.close();
            }
            return new TriggerRemoval(List.of(), triggers.uninstall());
        } finally {
            exclusive.unlock();
        }
    }

    /** A trigger capture of {@code source} that is not opened: nothing installed, no drain. */
    private static TriggerCapture triggers(SiteDatabase source, TenantScope scope) {
        return new TriggerCapture(dev.hikkoshi.data.copy.ScopeCopy.endpoint(source), scope,
                source.config()::charsetOverride, TriggerCapture.Options.defaults());
    }

    static VerifySide side(SiteDatabase db) {
        return new VerifySide(db.dataSource(), db.schema(), db.serverInfo(), db.describe());
    }

    @Override
    public synchronized void close() {
        for (ChangeCapture c : open.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.warn("closing the {} capture: {}", c.mode(), e.getMessage());
            }
        }
        open.clear();
    }
}
