package dev.peak.dns;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a bound: how tests wait for something the server does on its own clock. */
public final class Await {

    private static final long POLL_MILLIS = 25;

    private Await() {
    }

    /** Waits until the condition holds; returns the milliseconds it took, fails after {@code limit}. */
    public static long until(Duration limit, BooleanSupplier condition, Supplier<String> what) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + limit.toMillis() + " ms: " + what.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
