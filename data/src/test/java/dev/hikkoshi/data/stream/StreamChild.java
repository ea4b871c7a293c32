package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.capture.ChangeCapture;
import dev.hikkoshi.data.capture.CapturePosition;
import java.time.Duration;

/**
 * The child JVM of {@link StreamCrashIT}: streams tenant 1 from the position given (or its checkpoint on the
 * target, when it has one), over the binlog tailer or, with a sixth argument {@code triggers}, the trigger
 * capture. {@code run} streams until killed; {@code catch-up} prints {@code CAUGHT-UP} once
 * everything committed on the source is applied, then exits.
 */
public final class StreamChild {
    private StreamChild() {
    }

    public static void main(String[] args) throws Exception {
        CapturePosition from = CapturePosition.parse(args[3]);
        boolean triggers = args.length > 5 && args[5].equals("triggers");
        try (StreamFixture f = new StreamFixture(args[0], args[1], args[2]);
             ChangeCapture capture = triggers ? f.triggerCapture() : f.capture();
             TenantStream stream = TenantStream.start(f.setup("1", false), capture, from)) {
            System.out.println("STREAM-STARTED " + stream.status().position());
            System.out.flush();
            if (args[4].equals("catch-up")) {
                boolean caughtUp = stream.awaitCaughtUp(Duration.ofSeconds(60));
                System.out.println(caughtUp ? "CAUGHT-UP " + stream.status().position() : "NOT-CAUGHT-UP " + stream.status());
                System.out.flush();
                return;
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
