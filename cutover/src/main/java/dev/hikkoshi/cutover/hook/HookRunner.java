package dev.hikkoshi.cutover.hook;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.cutover.hook.HooksConfig.HookCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs a move's hooks: the configured command with the tenant and sites in {@code HIKKOSHI_*} environment
 * variables, its output (stdout and stderr together) logged line by line and its tail kept for the result,
 * and the whole process tree killed at the timeout. Called by the move steps at each {@link HookPoint}; the
 * caller decides what a failure means (a before-freeze failure aborts the move).
 *
 * <p>Bounds: a line longer than {@link #MAX_LINE_CHARS} is cut; at most {@link #MAX_LOGGED_LINES} lines are
 * logged per run and {@link #TAIL_LINES} kept. A process the hook left running in the background keeps its
 * output pipe open; the runner stops waiting for output {@link #OUTPUT_GRACE} after the hook itself ended.
 */
public final class HookRunner {
    public static final int MAX_LINE_CHARS = 1000;
    public static final int MAX_LOGGED_LINES = 1000;
    public static final int TAIL_LINES = 20;
    static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);

    private final HooksConfig config;

    public HookRunner(HooksConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Runs the hook configured for {@code point}, if there is one, and waits for it (at most its timeout and a
     * few seconds to kill it).
     *
     * @param from the site the tenant moves from (also for after-rollback: the move's from and to stay as
     *             planned, whichever way the tenant went last)
     */
    public Optional<HookResult> run(HookPoint point, Tenant tenant, SiteId from, SiteId to) throws InterruptedException {
        Optional<HookCommand> command = config.get(point);
        if (command.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(run(point, command.get(), tenant, from, to));
    }

    /**
     * Runs the hook for {@code point}, if there is one, and throws when it fails: for the before-freeze hook,
     * whose failure must abort the move.
     *
     * @throws HookFailedException naming the hook, its exit code (or timeout) and its last output line
     */
    public Optional<HookResult> runOrThrow(HookPoint point, Tenant tenant, SiteId from, SiteId to)
            throws InterruptedException {
        Optional<HookResult> result = run(point, tenant, from, to);
        if (result.isPresent() && !result.get().succeeded()) {
            throw new HookFailedException(result.get());
        }
        return result;
    }

    private HookResult run(HookPoint point, HookCommand command, Tenant tenant, SiteId from, SiteId to)
            throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.put("HIKKOSHI_TENANT", tenant.id().value());
        env.put("HIKKOSHI_TENANT_ID", tenant.databaseId());
        env.put("HIKKOSHI_FROM_SITE", from.value());
        env.put("HIKKOSHI_TO_SITE", to.value());
        env.put("HIKKOSHI_HOOK", point.spelling());
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            HookResult result = new HookResult(point, command.display(), OptionalInt.empty(), false, command.timeout(),
                    Duration.ofNanos(System.nanoTime() - started), List.of(), Optional.of(String.valueOf(e.getMessage())));
            log.warn("{}", result.failure().orElseThrow());
            return result;
        }
        OutputTail tail = new OutputTail(point, tenant, process.getInputStream());
        Thread reader = new Thread(tail, "hook-" + point.spelling() + "-" + tenant.id());
        reader.setDaemon(true);
        reader.start();
        boolean exited;
        try {
            exited = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        if (!exited) {
            killTree(process);
        }
        reader.join(OUTPUT_GRACE.toMillis());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        HookResult result = new HookResult(point, command.display(),
                exited ? OptionalInt.of(process.exitValue()) : OptionalInt.empty(), !exited, command.timeout(), took,
                tail.lines(), Optional.empty());
        if (result.succeeded()) {
            log.info("{} hook for {} succeeded in {} ms", point.spelling(), tenant.id(), took.toMillis());
        } else {
            log.warn("{}", result.failure().orElseThrow());
        }
        return result;
    }

    /**
     * Kills the hook and everything it started: the whole tree is listed first (a killed parent's children are
     * re-parented out of reach of {@link ProcessHandle#descendants()}), then killed top-down, the hook itself
     * first. Killing leaves first would let a parent shell run its next command ({@code sleep 9; start-worker})
     * before it is killed in turn.
     */
    static void killTree(Process process) throws InterruptedException {
        ProcessHandle root = process.toHandle();
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.sort(Comparator.comparingInt((ProcessHandle p) -> depth(p, root)));
        root.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        // SIGKILL is asynchronous: wait (bounded) until the tree is gone, so that the caller's next step (an
        // abort, a release) never runs alongside what the hook left behind
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        tree.add(0, root);
        for (ProcessHandle p : tree) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.error("hook process {} did not die within 5 s of SIGKILL", p.pid());
            }
        }
        process.waitFor(1, TimeUnit.SECONDS);
    }

    private static int depth(ProcessHandle p, ProcessHandle root) {
        int depth = 0;
        Optional<ProcessHandle> h = Optional.of(p);
        while (h.isPresent() && h.get().pid() != root.pid() && depth < 100) {
            depth++;
            h = h.get().parent();
        }
        return depth;
    }

    /** Reads a hook's output line by line (bounded), logging each line with the move's MDC and keeping a tail. */
    private static final class OutputTail implements Runnable {
        private final HookPoint point;
        private final Tenant tenant;
        private final InputStream in;
        private final Deque<String> tail = new ArrayDeque<>();
        private int logged;

        OutputTail(HookPoint point, Tenant tenant, InputStream in) {
            this.point = point;
            this.tenant = tenant;
            this.in = in;
        }

        synchronized List<String> lines() {
            return List.copyOf(tail);
        }

        @Override
        public void run() {
            MDC.put("tenant", tenant.id().value());
            MDC.put("phase", point.spelling());
            MDC.put("component", "hook");
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            emit(line);
                        } else if (line.size() < MAX_LINE_CHARS * 4) {
                            line.write(buffer[i]);
                        }
                    }
                }
                if (line.size() > 0) {
                    emit(line);
                }
            } catch (IOException e) {
                log.debug("reading the output of the {} hook ended: {}", point.spelling(), e.toString());
            } finally {
                MDC.clear();
            }
        }

        private void emit(ByteArrayOutputStream bytes) {
            String text = bytes.toString(StandardCharsets.UTF_8).replace("\r", "");
            bytes.reset();
            if (text.length() > MAX_LINE_CHARS) {
                text = text.substring(0, MAX_LINE_CHARS) + "...";
            }
            if (logged < MAX_LOGGED_LINES) {
                log.info("{} hook: {}", point.spelling(), text);
            } else if (logged == MAX_LOGGED_LINES) {
                log.info("{} hook: more output not logged (over {} lines)", point.spelling(), MAX_LOGGED_LINES);
            }
            logged++;
            synchronized (this) {
                tail.addLast(text);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        }
    }
}
