package dev.peak.common.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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

    private final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();

    /** Starts the heartbeat of {@code loop}; it runs until the loop shuts down. */
    void watch(EventExecutor loop) {
        loop.execute(() -> {
            Heartbeat heartbeat = new Heartbeat(loop);
            ON_THIS_LOOP.set(heartbeat);
            heartbeats.add(heartbeat);
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

    /** How late the last heartbeat ran, in seconds, on the loop where it was latest: for the gauge. */
    double lastDelaySeconds() {
        return heartbeats.stream().mapToLong(h -> h.lastLateNanos).max().orElse(0) / 1e9;
    }

    private final class Heartbeat implements Runnable {
        private final EventExecutor loop;
        /** Written and read on the loop's own thread only. */
        private long dueNanos = System.nanoTime();
        /** How late this heartbeat ran last time; the gauge reads it from another thread. */
        private volatile long lastLateNanos;

        Heartbeat(EventExecutor loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            lastLateNanos = now - dueNanos;
            dueNanos = now + PERIOD_NANOS;
            if (!loop.isShuttingDown()) {
                loop.schedule(this, PERIOD_NANOS, TimeUnit.NANOSECONDS);
            }
        }
    }
}
