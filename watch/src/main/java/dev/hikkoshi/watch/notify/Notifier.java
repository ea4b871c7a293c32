package dev.hikkoshi.watch.notify;

import dev.hikkoshi.watch.alert.message.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Delivers one receiver's messages to one endpoint (a Slack incoming webhook or a generic JSON webhook) on its
 * own thread, so that {@link #send} never blocks the pipeline or a move.
 *
 * <p>Concurrency: {@link #send} only offers to a bounded queue (a full queue drops the message and reports
 * {@link DeliveryProblem.Kind#QUEUE_FULL}). One worker thread takes messages in order, keeps the policy's spacing,
 * retries transient failures with exponential backoff, honours Retry-After, and reports every undelivered message
 * to the one owner given at construction. After a configuration error the notifier reports once and drops
 * everything that follows.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final String receiver;
    private final Transport transport;
    private final DeliveryPolicy policy;
    private final Consumer<DeliveryProblem> problems;
    private final BlockingQueue<Message> queue;
    private final Thread worker;
    private volatile boolean misconfigured;
    private long lastSentNanos = Long.MIN_VALUE;
    /** Messages queued or being delivered; guarded by {@code this}, for {@link #drain}. */
    private int pending;

    Notifier(String receiver, Transport transport, DeliveryPolicy policy, Consumer<DeliveryProblem> problems) {
        this.receiver = receiver;
        this.transport = transport;
        this.policy = policy;
        this.problems = problems;
        this.queue = new ArrayBlockingQueue<>(policy.queueCapacity());
        this.worker = new Thread(this::work, "hikkoshi-notify-" + receiver + "-" + transport.channel());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** A Slack incoming webhook (Block Kit messages, Slack's error answers). */
    public static Notifier slack(String receiver, URI webhook, DeliveryPolicy policy, Consumer<DeliveryProblem> problems) {
        return new Notifier(receiver, new SlackTransport(client(policy), webhook, policy.requestTimeout()), policy, problems);
    }

    /** A generic JSON webhook (the message's fields and its text). */
    public static Notifier webhook(String receiver, URI url, DeliveryPolicy policy, Consumer<DeliveryProblem> problems) {
        return new Notifier(receiver, new WebhookTransport(client(policy), url, policy.requestTimeout()), policy, problems);
    }

    private static HttpClient client(DeliveryPolicy policy) {
        return HttpClient.newBuilder().connectTimeout(policy.requestTimeout()).build();
    }

    /** Queues a message; never blocks. */
    public void send(Message m) {
        if (misconfigured) {
            log.debug("dropping a message for receiver {}: its {} notifier is misconfigured", receiver, transport.channel());
            return;
        }
        synchronized (this) {
            pending++;
        }
        if (!queue.offer(m)) {
            done();
            problems.accept(new DeliveryProblem(receiver, transport.channel(), DeliveryProblem.Kind.QUEUE_FULL,
                    "queue of " + policy.queueCapacity() + " messages is full; dropped: " + m.title()));
        }
    }

    /** Whether a configuration error has stopped this notifier. */
    public boolean misconfigured() {
        return misconfigured;
    }

    /** Waits until the queue is empty and the worker idle, for at most {@code timeout}; true if it drained. */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    private synchronized void done() {
        pending--;
        notifyAll();
    }

    private void work() {
        MDC.put("component", "notify-" + transport.channel());
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Message m = queue.take();
                try {
                    deliver(m);
                } catch (RuntimeException e) {
                    // A bug in one delivery must not silence every later alert: report this message, keep going.
                    log.error("{} notifier of receiver {} failed on a message", transport.channel(), receiver, e);
                    problems.accept(new DeliveryProblem(receiver, transport.channel(), DeliveryProblem.Kind.GAVE_UP,
                            "delivery failed: " + e + "; dropped: " + m.title()));
                } finally {
                    done();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Message m) throws InterruptedException {
        if (misconfigured) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            pace();
            Outcome o = transport.attempt(m);
            lastSentNanos = System.nanoTime();
            String problem;
            Duration wait;
            if (o instanceof Outcome.Delivered) {
                return;
            } else if (o instanceof Outcome.Misconfigured c) {
                misconfigured = true;
                for (Message dropped = queue.poll(); dropped != null; dropped = queue.poll()) {
                    done();
                }
                log.error("{} notifier of receiver {} is misconfigured: {}", transport.channel(), receiver, c.detail());
                problems.accept(new DeliveryProblem(receiver, transport.channel(), DeliveryProblem.Kind.CONFIGURATION,
                        c.detail()));
                return;
            } else if (o instanceof Outcome.Rejected r) {
                problems.accept(new DeliveryProblem(receiver, transport.channel(), DeliveryProblem.Kind.REJECTED,
                        r.detail() + "; dropped: " + m.title()));
                return;
            } else if (o instanceof Outcome.RetryAfter r) {
                problem = r.detail();
                wait = r.delay();
            } else {
                problem = ((Outcome.Transient) o).detail();
                wait = policy.backoff(attempt);
            }
            if (attempt >= policy.maxAttempts()) {
                problems.accept(new DeliveryProblem(receiver, transport.channel(), DeliveryProblem.Kind.GAVE_UP,
                        "gave up after " + attempt + " attempts (last: " + problem + "); dropped: " + m.title()));
                return;
            }
            log.warn("{} notifier of receiver {}: attempt {} failed ({}); retrying in {} ms", transport.channel(),
                    receiver, attempt, problem, wait.toMillis());
            Thread.sleep(wait.toMillis());
        }
    }

    private void pace() throws InterruptedException {
        if (lastSentNanos == Long.MIN_VALUE) {
            return;
        }
        long waitNanos = lastSentNanos + policy.minSpacing().toNanos() - System.nanoTime();
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    @Override
    public void close() {
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
