package dev.peak.driver.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What {@code scale.sh model} computes.
 *
 * @param servers      server counts of the curves
 * @param sessions     client sessions of one simulation at least (more at large server counts)
 * @param proxyCpus    P, the one proxy's CPUs; empty: the lab's proxy budget
 * @param loadFraction simulations offer this share of the model's capacity
 * @param cost         the work cost to calibrate on; empty: the largest measured
 * @param sweeps       run the balance and error-window sweeps
 */
record ModelOptions(List<Integer> servers, long sessions, OptionalDouble proxyCpusOrLab, double loadFraction,
                    OptionalInt costOrLargest, boolean sweeps) {

    static final List<Integer> SERVERS = List.of(1, 10, 100, 1_000, 10_000);
    /** What make bench runs after its measurements: every curve and sweep, in well under a minute here. */
    static final long FAST_SESSIONS = 20_000;
    static final double LOAD_FRACTION = 0.5;

    ModelOptions {
        servers = List.copyOf(servers);
        if (servers.isEmpty() || servers.stream().anyMatch(n -> n < 1 || n > 100_000)) {
            throw new IllegalArgumentException("--servers takes counts from 1 to 100000, not " + servers);
        }
        if (sessions < 1_000) {
            throw new IllegalArgumentException("--sessions must be at least 1000, not " + sessions);
        }
        if (!(loadFraction > 0 && loadFraction < 1)) {
            throw new IllegalArgumentException("--load must be between 0 and 1, not " + loadFraction);
        }
        if (proxyCpusOrLab.isPresent() && !(proxyCpusOrLab.getAsDouble() > 0)) {
            throw new IllegalArgumentException("--proxy-cpus must be > 0");
        }
    }

    static ModelOptions fast() {
        return new ModelOptions(SERVERS, FAST_SESSIONS, OptionalDouble.empty(), LOAD_FRACTION, OptionalInt.empty(), true);
    }

    Optional<Double> proxyCpus() {
        return proxyCpusOrLab.isPresent() ? Optional.of(proxyCpusOrLab.getAsDouble()) : Optional.empty();
    }

    Optional<Integer> cost() {
        return costOrLargest.isPresent() ? Optional.of(costOrLargest.getAsInt()) : Optional.empty();
    }
}
