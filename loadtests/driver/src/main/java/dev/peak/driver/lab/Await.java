package dev.peak.driver.lab;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waiting: the lab never waits for anything without a deadline. */
final class Await {

    private static final Duration POLL = Duration.ofMillis(200);

    private Await() {
    }

    /** Polls until {@code ready} holds; fails when {@code gaveUp} holds first or the deadline passes. */
    static void until(String what, long deadlineNanos, BooleanSupplier ready, BooleanSupplier gaveUp, Supplier<String> detail) {
        while (!ready.getAsBoolean()) {
            if (gaveUp.getAsBoolean()) {
                throw new LabException(what + " is not ready: " + detail.get());
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new LabException(what + " was not ready in time: " + detail.get());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for " + what, e);
            }
        }
    }
}
