package dev.hikkoshi.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty's leak detector (paranoid in the build) reported a leaked buffer while it ran.
 * Leaks are reported when a leaked buffer is garbage collected and a later allocation polls the queue, so
 * after the class this forces a few collections and allocations.
 */
final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).addAppender(appender);
        context.getStore(NS).put("appender", appender);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) throws InterruptedException {
        ListAppender<ILoggingEvent> appender = context.getStore(NS).get("appender", ListAppender.class);
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            for (int j = 0; j < 100; j++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(64);
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(64);
                a.release();
                b.release();
            }
        }
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).detachAppender(appender);
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.contains("LEAK"))
                .isEmpty();
    }
}
