package dev.hikkoshi.data.copy;

import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The bytes of a LOAD DATA LOCAL as the driver reads them (on the sender thread), put in blocks by the chunk's
 * reader thread while the target loads the blocks before them. A few blocks are held at most, so a reader that
 * runs ahead waits ({@link #put}) and a loader that runs ahead waits for the next block. The stream ends at
 * {@link #end}, or at once after {@link #cut}, which a failed chunk uses to end the statement (its rows are
 * then rolled back): the driver must always end the transfer with its empty packet, which an exception from
 * this stream would skip, leaving the connection in the middle of a command.
 */
final class BlockStream extends InputStream {
    private static final byte[] END = new byte[0];
    private static final int BLOCKS_AHEAD = 4;

    private final BlockingQueue<byte[]> blocks = new ArrayBlockingQueue<>(BLOCKS_AHEAD);
    private volatile boolean cut;
    /** Set by the loader when it has read the end: every block was read. */
    private volatile boolean ended;
    private byte[] current = END;
    private int position;

    /**
     * Hands a block to the loader, waiting while {@value #BLOCKS_AHEAD} are held. Returns false, with the block
     * not taken, once {@code loaderGone} says that nothing will read it any more (the statement ended).
     */
    boolean put(byte[] block, BooleanSupplier loaderGone) throws InterruptedException {
        return block.length == 0 || offer(block, loaderGone);
    }

    /** The last block was put: the loader's next read past the blocks held ends the stream. */
    boolean end(BooleanSupplier loaderGone) throws InterruptedException {
        return offer(END, loaderGone);
    }

    private boolean offer(byte[] block, BooleanSupplier loaderGone) throws InterruptedException {
        while (!blocks.offer(block, 20, TimeUnit.MILLISECONDS)) {
            if (loaderGone.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** Ends the stream now, whatever is held: the statement then completes with part of the rows. */
    void cut() {
        cut = true;
        blocks.clear();
        blocks.offer(END);
    }

    /** Whether the loader read every block up to {@link #end}. */
    boolean ended() {
        return ended;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        while (position == current.length) {
            if (cut || ended) {
                return -1;
            }
            byte[] next;
            try {
                next = blocks.take();
            } catch (InterruptedException e) {
                // Ending here sends the driver's closing packet; the chunk sees the statement end early and fails.
                Thread.currentThread().interrupt();
                cut = true;
                return -1;
            }
            if (next == END) {
                if (!cut) {
                    ended = true;
                }
                return -1;
            }
            current = next;
            position = 0;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, into, offset, n);
        position += n;
        return n;
    }
}
