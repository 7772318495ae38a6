package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class WarmUpTest {

    private static final long STEP_NANOS = 2_000_000_000L;
    /** Just under the share of a CPU above which one JVM's compilers count as working, over a 2 s step. */
    private static final long QUIET_STEP = (long) (0.9 * WarmUp.QUIET_COMPILERS * STEP_NANOS);

    @Test
    void eachJvmsCompilersAreJudgedAgainstTheQuietShareAlone() {
        Map<String, Long> before = Map.of("a-1", 0L, "b-1", 0L, "dns-1", 0L);
        Map<String, Long> threeQuietOnes = Map.of("a-1", QUIET_STEP, "b-1", QUIET_STEP, "dns-1", QUIET_STEP);
        assertFalse(WarmUp.compiling(before, threeQuietOnes, 2), "three quiet JVMs are quiet, whatever their sum");
        Map<String, Long> oneBusy = Map.of("a-1", 0L, "b-1", 2 * QUIET_STEP, "dns-1", 0L);
        assertTrue(WarmUp.compiling(before, oneBusy, 2));
    }

    @Test
    void aJvmWithoutAnEarlierReadingDoesNotCount() {
        assertFalse(WarmUp.compiling(Map.of("a-1", 0L), Map.of("a-1", 0L, "a-2", STEP_NANOS), 2),
                "a new instance's compilers since its start are not this step's");
        assertFalse(WarmUp.compiling(Map.of(), Map.of(), 2), "a platform that cannot read them never waits for them");
    }
}
