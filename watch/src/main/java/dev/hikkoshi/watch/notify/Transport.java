package dev.hikkoshi.watch.notify;

import dev.hikkoshi.watch.alert.message.Message;

/** One endpoint's wire format and its reading of the answer; called only from its notifier's worker thread. */
interface Transport {
    /** {@code slack} or {@code webhook}, for messages and thread names. */
    String channel();

    Outcome attempt(Message message) throws InterruptedException;
}
