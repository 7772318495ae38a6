package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.peak.driver.results.Second;

/** What a step asks of its load generators, and how it reads back what they used. */
class StepRunnerTest {

    /** Four generators that each used 1.5 CPU-seconds per second of a 10 s run. */
    private final RecordingGenerators generators = new RecordingGenerators(4, 60);

    @Test
    void eachGeneratorIsOfferedItsShareOfTheSessions() throws Exception {
        new StepRunner(generators, 10, 1000).run(new Entry(), BenchVariant.RI2_PEAK, 400, Duration.ofSeconds(2),
                Duration.ofSeconds(8), Path.of("unused"), Optional.empty());

        Map<String, String> properties = generators.request.properties();
        assertEquals("10.0", properties.get("peak.rate"), "400 rps / k 10 / 4 generators");
        assertEquals("10", properties.get("peak.duration"));
        assertEquals("2", properties.get("peak.settleS"));
        assertEquals("http://a.peak.test:8080", properties.get("peak.entry"));
        assertEquals("http://b.peak.test:8080", properties.get("peak.entryB"));
        assertEquals("2001:db8::53 2001:db8::53:2", properties.get("peak.dns"));
        assertEquals(Duration.ofSeconds(130), generators.request.timeout(), "the step, and two minutes' grace");
    }

    @Test
    void generatorCpuIsWhatEachGeneratorUsed() throws Exception {
        StepRunner.Outcome outcome = new StepRunner(generators, 10, 1000).run(new Entry(), BenchVariant.RI2_PEAK, 400,
                Duration.ZERO, Duration.ofSeconds(10), Path.of("unused"), Optional.empty());

        assertEquals(1.5, outcome.generatorCpu(), 1e-9);
    }

    /** Generators that record the request and hand back one merged run of 10 s with {@code cpuS} CPU-seconds. */
    private static final class RecordingGenerators implements LoadGenerator {
        private final int count;
        private final double cpuS;
        private Request request;

        RecordingGenerators(int count, double cpuS) {
            this.count = count;
            this.cpuS = cpuS;
        }

        @Override
        public int generators() {
            return count;
        }

        @Override
        public Run run(SystemUnderTest system, Request step, Runnable injectionStarted) {
            request = step;
            return new Run(new SimulationResult("Ri2PeakSimulation", 40, 10, 10, 1000, 0, 10_000,
                    new SimulationResult.Counts(400, 0), new SimulationResult.Counts(4400, 0), Map.of(),
                    List.of(new Second(0, 4400, 0)), Map.of(), cpuS), null);
        }
    }

    /** The ri2-peak variant as a client finds it; nothing else is asked of it here. */
    private static final class Entry implements SystemUnderTest {
        @Override
        public Map<String, String> environment() {
            return Map.of("PEAK_ENTRY", "http://a.peak.test:8080", "PEAK_ENTRY_B", "http://b.peak.test:8080",
                    "PEAK_DNS_SERVERS", "2001:db8::53 2001:db8::53:2");
        }

        @Override
        public int servers() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void scaleTo(int servers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void kill(String instance) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void killProxy() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void killDnsReplica(int replica) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> asLoad(List<String> command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
