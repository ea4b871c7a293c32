package dev.hikkoshi.data.differential;

import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.ChangeKind;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.config.DifferentialPace;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.trigger.ColumnDecoder;
import dev.hikkoshi.data.verify.ChunkPlan;
import dev.hikkoshi.data.verify.ComparedChunk;
import dev.hikkoshi.data.verify.RowDifference;
import dev.hikkoshi.data.verify.TableToVerify;
import dev.hikkoshi.data.verify.Verifier;
import dev.hikkoshi.data.verify.VerifyReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Checksum differential capture, for a source where hikkoshi may only read (no binlog, no triggers): each pass
 * verifies one tenant's tables between source and target with {@link Verifier} (the servers' chunk checksums,
 * differing chunks narrowed to rows and compared in Java) and delivers every differing row's key as a
 * {@link ChangeKind#DIFFERS} change, in a {@link ChangeTransaction} at {@link CapturePosition.DifferentialPass}.
 * The stream re-copies those rows through its race-safe key-sync path; the next pass then finds only what changed
 * meanwhile, so the counts fall until they are small ({@link #passes()}). A subscription that reports checkpoints
 * (a stream) gets a pass's rows as they are found, {@link #EARLY_ROWS} at a time or after {@link
 * Options#handOverEvery}, in transactions that claim what the chunks compared so far prove ({@link PassClaims});
 * the pass's own transaction carries the rest. {@link #pass} (the final pass) returns all of them in one.
 *
 * <p>Around each pass it reads how many pages the source's InnoDB has read from disk, and warns when the pass read
 * its tables from disk rather than from the buffer pool ({@link PoolPressure}).
 *
 * <p>Unlike the other captures it is built per tenant and per target (a checksum compares two sides), so a
 * subscription's {@code tables} select among the tables it was built with. Every pass reads the whole tenant on
 * both sides; the final one runs inside the freeze, so {@link #fullPassEstimate()} tells the planner how long
 * that takes.
 *
 * <p>Concurrency: one thread per subscription runs passes back to back. After a pass that found nothing it
 * pauses ({@link Options#pauseAfter}: short right after changes, growing to {@code passInterval} while the tenant
 * rests); after one that found rows, a sink that {@linkplain ChangeSink#reportsCheckpoints
 * reports checkpoints} (a stream) is waited for until it reports the repairs committed
 * ({@link Subscription#checkpointed}), however long they take, so that the next pass compares the repaired rows
 * instead of finding them again, and starts at once (a fixed pause was dead time in every catch-up, and too short
 * for a large repair: the next pass found the same rows again); another sink is given {@code passInterval}.
 */
public final class DifferentialCapture implements ChangeCapture {
    private static final Logger log = LoggerFactory.getLogger(DifferentialCapture.class);
    /**
     * Rows of a running pass handed to a stream at a time. A catch-up's pass finds its rows chunk by chunk over the
     * whole pass; handing them over as they are found lets the stream repair them while later chunks are compared,
     * so after the pass only the last few hundred are left to repair (2,400 rows took the stream 0.3 to 0.7 s after
     * the pass). Hundreds, not a chunk's few dozen: each hand-over is a target transaction of its own.
     */
    static final int EARLY_ROWS = 500;

    /**
     * By default, the longest a running pass holds rows it found before handing them over, however few: the
     * hand-over also carries the pass's claim ({@link PassClaims}), which a change committed during the previous
     * pass waits for. At most one small hand-over (a target transaction) this often ({@link Options#handOverEvery}),
     * besides the one that answers a caught-up wait ({@link #readAfterNow}).
     */
    static final Duration HAND_OVER_EVERY = Duration.ofMillis(150);

    /**
     * When a subscription's next pass begins after a pass that found nothing: after a tenth of the time the
     * tenant has been at rest (since the start of the last pass that found rows, or since the subscription began:
     * a stream starts after a copy or a restart, while the service writes), never shorter than {@code minimumPause}
     * nor longer than {@code passInterval} ({@link #pauseAfter}). Writes to a live service come in bursts, so a
     * tenant that just changed is compared again soon (a change committed then waits for the next pass's start,
     * not for a full interval); one at rest for ten intervals is compared once per {@code passInterval}, the load
     * a fixed interval had. The price is more passes on the source after each burst (docs/data.md).
     */
    public record Options(Duration passInterval, Duration minimumPause, Duration handOverEvery) {
        public Options {
            Objects.requireNonNull(passInterval, "passInterval");
            Objects.requireNonNull(minimumPause, "minimumPause");
            Objects.requireNonNull(handOverEvery, "handOverEvery");
            if (minimumPause.compareTo(passInterval) > 0) {
                throw new IllegalArgumentException("minimumPause " + minimumPause + " is longer than passInterval " + passInterval);
            }
        }

        public Options(Duration passInterval, Duration minimumPause) {
            this(passInterval, minimumPause, HAND_OVER_EVERY);
        }

        /** The same pace, handing a running pass's rows over at most every {@code every} (zero: after every chunk that found rows). */
        public Options handingOverEvery(Duration every) {
            return new Options(passInterval, minimumPause, every);
        }

        /** A fixed pause of {@code passInterval} after every pass that found nothing. */
        public Options(Duration passInterval) {
            this(passInterval, passInterval);
        }

        /** From 100 ms right after changes to 1 s for a tenant at rest. */
        public static Options defaults() {
            return of(DifferentialPace.defaults());
        }

        /** The pace configured for the source site ({@code sites.NAME.database.differential}). */
        public static Options of(DifferentialPace pace) {
            return new Options(pace.passInterval(), pace.minimumPause());
        }

        /** The pause after a pass that found nothing, the tenant having been at rest for {@code restedFor}. */
        public Duration pauseAfter(Duration restedFor) {
            Duration pause = restedFor.dividedBy(10);
            if (pause.compareTo(minimumPause) < 0) {
                return minimumPause;
            }
            return pause.compareTo(passInterval) > 0 ? passInterval : pause;
        }
    }

    private final Verifier verifier;
    private final List<TableToVerify> tables;
    private final Options options;
    private final List<PassReport> passes = new CopyOnWriteArrayList<>();
    private final AtomicLong lastPass = new AtomicLong();
    private final List<Runner> runners = new CopyOnWriteArrayList<>();
    private final PoolPressure poolPressure = new PoolPressure();

    public DifferentialCapture(Verifier verifier, List<TableToVerify> tables, Options options) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.tables = List.copyOf(tables);
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public String mode() {
        return "differential";
    }

    /** The last completed pass; a checksum pass has no position in the source's history to note beforehand. */
    @Override
    public CapturePosition currentPosition() {
        return new CapturePosition.DifferentialPass(lastPass.get());
    }

    /**
     * Wakes every idle pass loop: the next pass begins now. A pass's transaction carries the instant it began, so
     * one stamped after the instant returned compared rows as they were after this call; and a running stream's
     * pass hands over the first claim past it at once, rows or not ({@link PassClaims}).
     */
    @Override
    public Optional<Instant> readAfterNow() {
        Instant now = Instant.now();
        runners.forEach(r -> r.await(now));
        return Optional.of(now);
    }

    /** Every pass so far, oldest first. */
    public List<PassReport> passes() {
        return List.copyOf(passes);
    }

    /**
     * How long a full pass over the tenant takes, for the planner's freeze budget: the longest of the last three
     * passes (the final pass checksums every row of the tenant on both sides, whatever changed); empty before
     * the first pass.
     */
    public Optional<Duration> fullPassEstimate() {
        List<PassReport> all = passes();
        return all.subList(Math.max(0, all.size() - 3), all.size()).stream().map(PassReport::took)
                .max(Duration::compareTo);
    }

    /** Runs one pass over {@code tableNames} now, on the caller's thread (the final pass inside the freeze). */
    public ChangeTransaction pass(Set<String> tableNames) {
        return pass(tableNames, Optional.empty()).last();
    }

    /** A running pass's hand-over of rows found so far, with the instant they let the stream claim. */
    @FunctionalInterface
    private interface HandOver {
        void accept(List<RowChange> changes, Instant claim);
    }

    /**
     * A stream's pass: the chunks of the pass before it (as {@code claims}) planned again, rows handed to
     * {@code handOver} as they are found with what the chunks compared so far let the stream claim, and the
     * instant a caught-up wait waits for ({@code awaited}, empty when none): a claim past it is handed over at once,
     * with or without rows.
     */
    private record Rolling(PassClaims claims, HandOver handOver, AtomicReference<Instant> awaited) {
    }

    /**
     * What a pass ended with: its transaction (at its own position; without the rows handed over early) and how
     * many rows it found differing in all.
     */
    private record Outcome(ChangeTransaction last, int differing, long startedNanos, List<ComparedChunk> chunks) {
    }

    /**
     * One pass. {@code rolling}, when present, receives rows found differing before the pass ends, in chunk order:
     * {@link #EARLY_ROWS} at a time, or whatever is held once {@link Options#handOverEvery} has passed since the last
     * hand-over of rows, or (rows or not) once a claim passes a caught-up wait's instant; the returned transaction
     * carries only the rest. When empty, it carries them all.
     */
    private Outcome pass(Set<String> tableNames, Optional<Rolling> rolling) {
        List<TableToVerify> selected = select(tableNames);
        // Whatever committed before the pass began is in what it compares: that is the pass's commit time.
        // At full precision: a caught-up wait compares it with an instant read just before (readAfterNow); only the
        // position's text is rounded down to the millisecond.
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        Optional<DiskPageReads> diskBefore = DiskPageReads.read(verifier.source());
        List<RowChange> held = new ArrayList<>();
        Set<RowDifference> handedOver = new HashSet<>();
        List<ComparedChunk> chunks = new ArrayList<>();
        // Claims rest on the plan covering exactly the tables compared, in order; otherwise walk (and claim nothing new).
        ChunkPlan plan = rolling.map(r -> r.claims().plan(verifier.chunkRows())).filter(p -> p.covers(selected.stream()
                .map(TableToVerify::name).toList())).orElse(ChunkPlan.walk());
        long[] lastHandOver = {System.nanoTime()};
        VerifyReport report = verifier.verify(selected, plan, chunk -> {
            chunks.add(chunk);
            chunk.differences().forEach(d -> held.add(change(selected, d)));
            handedOver.addAll(chunk.differences());
            if (rolling.isEmpty()) {
                return;
            }
            Rolling r = rolling.get();
            Instant claim = r.claims().after(chunk, plan);
            boolean rowsDue = !held.isEmpty() && (held.size() >= EARLY_ROWS
                    || System.nanoTime() - lastHandOver[0] >= options.handOverEvery().toNanos());
            // A caught-up wait (the final sync's, inside the freeze) learns as soon as a claim passes its instant,
            // about one pass after it, instead of at the end of the first pass that began after it.
            Instant awaited = r.awaited().get();
            boolean waiterDue = awaited != null && claim.isAfter(awaited);
            if (rowsDue || waiterDue) {
                r.handOver().accept(List.copyOf(held), claim);
                if (!held.isEmpty()) {
                    lastHandOver[0] = System.nanoTime();
                }
                held.clear();
                if (waiterDue) {
                    r.awaited().compareAndSet(awaited, null);
                }
            }
        });
        List<RowChange> changes = new ArrayList<>();
        int changed = 0;
        int missing = 0;
        int extra = 0;
        for (RowDifference d : report.differences()) {
            if (!handedOver.contains(d)) {
                // Never expected (every chunk's rows pass through the listener), kept so that none can be lost.
                held.add(change(selected, d));
            }
            switch (d.kind()) {
                case CHANGED -> changed++;
                case MISSING -> missing++;
                case EXTRA -> extra++;
            }
        }
        changes.addAll(held);
        long rows = report.tables().stream().mapToLong(t -> t.sourceRows()).sum();
        long n = lastPass.incrementAndGet();
        PassReport pass = new PassReport(n, rows, changed, missing, extra, Duration.ofNanos(System.nanoTime() - started));
        passes.add(pass);
        log.info("differential {}", pass.describe());
        diskBefore.ifPresent(before -> DiskPageReads.read(verifier.source()).flatMap(after ->
                poolPressure.afterPass(n, before, after, System.nanoTime())).ifPresent(log::warn));
        return new Outcome(new ChangeTransaction(new CapturePosition.DifferentialPass(n, Optional.of(startedAt)),
                startedAt, false, changes), pass.differing(), started, List.copyOf(chunks));
    }

    private static RowChange change(List<TableToVerify> selected, RowDifference d) {
        TableToVerify table = selected.stream().filter(t -> t.name().equals(d.table())).findFirst().orElseThrow();
        return new RowChange(table.name(), ChangeKind.DIFFERS, key(table, d), Map.of(), Map.of());
    }

    private List<TableToVerify> select(Set<String> tableNames) {
        Set<String> wanted = new java.util.HashSet<>();
        tableNames.forEach(t -> wanted.add(t.toLowerCase(Locale.ROOT)));
        List<TableToVerify> selected = tables.stream().filter(t -> wanted.contains(t.name().toLowerCase(Locale.ROOT))).toList();
        if (selected.size() != wanted.size()) {
            throw new IllegalArgumentException("tables " + tableNames + " are not all among the differential capture's: "
                    + tables.stream().map(TableToVerify::name).toList());
        }
        return selected;
    }

    /** The differing row's key by column name, decoded from verification's text by the source column's type. */
    static Map<String, Object> key(TableToVerify table, RowDifference d) {
        Map<String, Object> key = new LinkedHashMap<>();
        List<String> columns = table.key().columns();
        for (int i = 0; i < columns.size(); i++) {
            Column column = table.source().column(columns.get(i)).orElseThrow();
            key.put(column.name().toLowerCase(Locale.ROOT), ColumnDecoder.fromText(column, d.key().values().get(i)));
        }
        return key;
    }

    @Override
    public Subscription subscribe(Set<String> tableNames, CapturePosition from, ChangeSink sink) {
        if (!(from instanceof CapturePosition.DifferentialPass start)) {
            throw new IllegalArgumentException("the differential capture resumes from a pass number, not " + from.text());
        }
        select(tableNames);
        lastPass.accumulateAndGet(start.pass(), Math::max);
        Runner runner = new Runner(Set.copyOf(tableNames), sink);
        runners.add(runner);
        runner.thread.start();
        return runner;
    }

    @Override
    public void close() {
        runners.forEach(Runner::close);
        runners.clear();
    }

    /** One subscription's pass loop. */
    private final class Runner implements Subscription {
        private final Set<String> tableNames;
        private final ChangeSink sink;
        private final Thread thread;
        private volatile boolean running = true;
        private final AtomicLong applied = new AtomicLong();
        /** The instant of the latest caught-up wait no claim has passed yet, or null ({@link #await}). */
        private final AtomicReference<Instant> awaited = new AtomicReference<>();
        /** Released by {@link #await}: ends the idle pause between passes early. */
        private final java.util.concurrent.Semaphore woken = new java.util.concurrent.Semaphore(0);

        Runner(Set<String> tableNames, ChangeSink sink) {
            this.tableNames = tableNames;
            this.sink = sink;
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            this.thread = new Thread(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                MDC.put("component", "capture-differential");
                run();
            }, "hikkoshi-differential");
            thread.setDaemon(true);
        }

        private void run() {
            try {
                // The previous pass of this subscription, once its rows were all handed over: its start and its chunks.
                Instant previousStart = null;
                List<ComparedChunk> previousChunks = List.of();
                // Since when the tenant is at rest: the start of the last pass that found rows, or the subscription's.
                long restingSince = System.nanoTime();
                while (running) {
                    Optional<Rolling> rolling = previousStart != null && sink.reportsCheckpoints()
                            ? Optional.of(new Rolling(new PassClaims(previousStart, previousChunks), this::handOver, awaited))
                            : Optional.empty();
                    Outcome outcome = pass(tableNames, rolling);
                    ChangeTransaction pass = outcome.last();
                    sink.accept(pass);
                    previousStart = pass.committedAt();
                    previousChunks = outcome.chunks();
                    // The pass's own transaction answers a wait that began before the pass did.
                    Instant began = pass.committedAt();
                    awaited.getAndUpdate(a -> a != null && began.isAfter(a) ? null : a);
                    long passNumber = ((CapturePosition.DifferentialPass) pass.end()).pass();
                    if (outcome.differing() > 0) {
                        restingSince = outcome.startedNanos();
                    }
                    if (outcome.differing() > 0 && sink.reportsCheckpoints()) {
                        while (running && applied.get() < passNumber) {
                            Thread.sleep(10);
                        }
                    } else {
                        // Ends early when woken (close() interrupts it); a wake during the pass starts the next at once.
                        Duration pause = outcome.differing() > 0 ? options.passInterval()
                                : options.pauseAfter(Duration.ofNanos(System.nanoTime() - restingSince));
                        woken.tryAcquire(pause.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                    woken.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (running) {
                    sink.stopped(new CaptureStop.Failed("the differential capture was interrupted", e));
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.error("differential pass {} failed", lastPass.get() + 1, e);
                    sink.stopped(new CaptureStop.Failed("differential pass " + (lastPass.get() + 1) + " failed: " + e.getMessage(), e));
                }
            }
        }

        /**
         * Hands rows of the running pass to the stream before the pass ends, claiming {@code claim} ({@link
         * PassClaims}): once the stream has committed them, every change committed on the source before it is on the
         * target. The position stays the last completed pass's.
         */
        private void handOver(List<RowChange> changes, Instant claim) {
            try {
                sink.accept(new ChangeTransaction(new CapturePosition.DifferentialPass(lastPass.get(), Optional.of(claim)),
                        claim, false, changes));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted while handing rows of a pass to the stream");
            }
        }

        /** A caught-up wait for {@code instant} began: hand over the first claim past it, and start a pass now. */
        void await(Instant instant) {
            awaited.accumulateAndGet(instant, (a, b) -> a == null || b.isAfter(a) ? b : a);
            woken.release();
        }

        /** The stream committed the repairs of every pass up to {@code position}'s. */
        @Override
        public void checkpointed(CapturePosition position) {
            if (position instanceof CapturePosition.DifferentialPass p) {
                applied.accumulateAndGet(p.pass(), Math::max);
            }
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
