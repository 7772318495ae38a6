package dev.peak.driver.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.peak.driver.cpu.CpuReading;
import dev.peak.driver.cpu.CpuSample;
import dev.peak.driver.variant.Component;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;
import dev.peak.measurement.Tick;

/**
 * Runs levels on a staircase's generators and reads the system's CPU counters as each window opens and closes, so
 * that what every instance used is known for exactly the window the generator measured.
 */
final class LevelMeter {

    private final SystemUnderTest system;
    private final LoadGenerator.RunningLoad generator;
    private final LoadGenerator.Listener observer;

    /** @param observer hears every window edge and tick too, after the counters are read (a fault run's timer) */
    LevelMeter(SystemUnderTest system, LoadGenerator.RunningLoad generator, LoadGenerator.Listener observer) {
        this.system = system;
        this.generator = generator;
        this.observer = observer;
    }

    /** What one level measured: the generator's figures and each instance's CPU use over the window. */
    record Metered(LevelCommand order, LevelMeasurement measurement, Map<String, CpuReading> cpu, List<Tick> ticks) {

        /** CPU used per component over the window, and how many instances each had. */
        Map<Component, CpuSample> byComponent() {
            Map<Component, CpuSample> sum = new LinkedHashMap<>();
            cpu.values().forEach(r -> sum.merge(r.component(), r.sample(), CpuSample::plus));
            return sum;
        }

        /**
         * The instance of the system (not the generator) its quota stopped for the largest share of the window, with
         * that share; empty when none was stopped.
         */
        Optional<Map.Entry<String, Double>> mostThrottled() {
            double seconds = Math.max(1e-3, measurement.windowSeconds());
            return cpu.entrySet().stream().filter(e -> e.getValue().component() != Component.GENERATOR)
                    .map(e -> Map.entry(e.getKey(), e.getValue().sample().throttledNanos() / 1e9 / seconds))
                    .filter(e -> e.getValue() > 0).max(Map.Entry.comparingByValue());
        }

        /**
         * One generator's CPU over the level, in ns: its cgroup where the platform reads one, else what the
         * {@code generators} generators counted themselves, shared out.
         */
        double generatorCpuNanos(int generators) {
            CpuSample generator = byComponent().get(Component.GENERATOR);
            return generator != null && generator.usageNanos() > 0 ? generator.usageNanos()
                    : measurement.processCpuS() * 1e9 / generators;
        }

        Map<Component, Integer> instances() {
            Map<Component, Integer> count = new LinkedHashMap<>();
            cpu.values().forEach(r -> count.merge(r.component(), 1, Integer::sum));
            return count;
        }
    }

    /** Runs {@code orders} back to back and meters each. */
    List<Metered> run(List<LevelCommand> orders) throws IOException, InterruptedException {
        Window window = new Window();
        List<LevelMeasurement> measured = generator.levels(orders, window);
        List<Metered> metered = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            LevelCommand order = orders.get(i);
            metered.add(new Metered(order, measured.get(i), window.used(order.level()), window.ticks(order.level())));
        }
        return metered;
    }

    /** The counters at each window's edges, and the seconds of each level. */
    private final class Window implements LoadGenerator.Listener {
        private final Map<Integer, Map<String, CpuReading>> opened = new LinkedHashMap<>();
        private final Map<Integer, Map<String, CpuReading>> closed = new LinkedHashMap<>();
        private final List<Tick> all = new ArrayList<>();

        @Override
        public void windowOpened(int level) {
            opened.put(level, system.cpuUsage());
            observer.windowOpened(level);
        }

        @Override
        public void windowClosed(int level) {
            closed.put(level, system.cpuUsage());
            observer.windowClosed(level);
        }

        @Override
        public void tick(Tick tick) {
            all.add(tick);
            observer.tick(tick);
        }

        Map<String, CpuReading> used(int level) {
            Map<String, CpuReading> before = opened.getOrDefault(level, Map.of());
            Map<String, CpuReading> after = closed.getOrDefault(level, Map.of());
            Map<String, CpuReading> used = new LinkedHashMap<>();
            after.forEach((instance, reading) -> {
                CpuReading start = before.get(instance);
                if (start != null) {
                    used.put(instance, new CpuReading(reading.component(), reading.sample().minus(start.sample())));
                }
            });
            return used;
        }

        List<Tick> ticks(int level) {
            return all.stream().filter(t -> t.level() == level).toList();
        }
    }
}
