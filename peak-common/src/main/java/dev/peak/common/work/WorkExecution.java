package dev.peak.common.work;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Where a request's work function runs: short work on the event loop that read the request, long work on a worker
 * thread. Handing every request to a worker costs two thread wake-ups (there and back), which on a small VM cost
 * more CPU than the work itself at the experiments' costs (measured: ~80 µs of A's ~300 µs per mesh /chain);
 * running seconds of hashing on an event loop would stall every other connection on it.
 */
public final class WorkExecution {

    /**
     * The most rounds run on the event loop: about 0.7 ms of CPU, well under what an event loop may spend on one
     * task before its other connections notice.
     */
    public static final int MAX_INLINE_COST = 10_000;

    private WorkExecution() {
    }

    /** {@code work}, of {@code cost} rounds, where it belongs; its failures become the Uni's. */
    public static <T> Uni<T> run(int cost, Supplier<T> work) {
        Uni<T> uni = Uni.createFrom().item(work);
        return cost <= MAX_INLINE_COST ? uni : uni.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
