package dev.peak.common.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class WorkExecutionTest {

    @Test
    void shortWorkRunsWhereTheRequestIsWithoutAThreadHandOff() {
        Thread caller = Thread.currentThread();
        Thread ran = WorkExecution.run(WorkExecution.MAX_INLINE_COST, Thread::currentThread).await().atMost(Duration.ofSeconds(5));
        assertEquals(caller, ran);
    }

    @Test
    void longWorkLeavesTheEventLoopForAWorker() {
        Thread caller = Thread.currentThread();
        Thread ran = WorkExecution.run(WorkExecution.MAX_INLINE_COST + 1, Thread::currentThread).await()
                .atMost(Duration.ofSeconds(5));
        assertNotEquals(caller, ran);
    }

    @Test
    void theWorksFailureIsTheUnis() {
        assertThrows(IllegalStateException.class, () -> WorkExecution.run(0, () -> {
            throw new IllegalStateException("boom");
        }).await().atMost(Duration.ofSeconds(5)));
    }
}
