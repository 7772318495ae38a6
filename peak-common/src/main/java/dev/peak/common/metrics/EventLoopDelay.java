package dev.peak.common.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.util.concurrent.EventExecutor;

/**
 * How long the calling event loop has been kept from its own timer: the time a request read now has waited for
 * the loop, at least. Work done inline on an event loop is handled one request at a time, so a queue never shows in
 * the requests in flight (at most one); it forms in front of the loop, in the sockets it has not read yet. Each
 * loop runs a heartbeat every {@link #PERIOD_NANOS}; while the loop is busy the heartbeat cannot run, and the time
 * since it was due is how far the loop is behind. Node.js calls this event-loop delay, and servers built on one
 * shed load by it.
 *
 * <p>Only a standing delay counts ({@link #behind}): the heartbeat before was late too. A loop held once, by a
 * collection, its first requests' class loading or a CPU quota's stop, has no queue to shed, and the requests it
 * reads next are answered; CoDel drops packets by the same rule.
 */
final class EventLoopDelay {

    /** A heartbeat every 5 ms: 200 wake-ups a second of an idle loop, and a delay known to 5 ms. */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private static final ThreadLocal<Heartbeat> ON_THIS_LOOP = new ThreadLocal<>();

    /** The largest delay a heartbeat found late since the last read, over every loop, for the gauge. */
    private final AtomicLong worstNanos = new AtomicLong();

    /** Starts the heartbeat of {@code loop}; it runs until the loop shuts down. */
    void watch(EventExecutor loop) {
        loop.execute(() -> {
            Heartbeat heartbeat = new Heartbeat(loop);
            ON_THIS_LOOP.set(heartbeat);
            heartbeat.run();
        });
    }

    /**
     * Whether the calling loop is more than {@code boundNanos} behind its heartbeat now and was at its last
     * heartbeat too; false off a loop.
     */
    static boolean behind(long boundNanos) {
        Heartbeat heartbeat = ON_THIS_LOOP.get();
        return heartbeat != null && heartbeat.lastLateNanos > boundNanos
                && System.nanoTime() - heartbeat.dueNanos > boundNanos;
    }

    /** The largest delay seen since the last call, in seconds, then forgotten: a scrape sees each spike once. */
    double worstSecondsSinceLastRead() {
        return worstNanos.getAndSet(0) / 1e9;
    }

    private final class Heartbeat implements Runnable {
        private final EventExecutor loop;
        /** Written and read on the loop's own thread only, as is lastLateNanos. */
        private long dueNanos = System.nanoTime();
        /** How late this heartbeat ran last time. */
        private long lastLateNanos;

        Heartbeat(EventExecutor loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            long late = now - dueNanos;
            lastLateNanos = late;
            worstNanos.accumulateAndGet(late, Math::max);
            dueNanos = now + PERIOD_NANOS;
            if (!loop.isShuttingDown()) {
                loop.schedule(this, PERIOD_NANOS, TimeUnit.NANOSECONDS);
            }
        }
    }
}
