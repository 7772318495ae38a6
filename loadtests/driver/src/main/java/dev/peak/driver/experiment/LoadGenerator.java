package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.peak.driver.variant.Client;
import dev.peak.driver.variant.Variant;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;
import dev.peak.measurement.Tick;

/**
 * The load generators of a staircase: one warm Gatling JVM beside the driver that takes its levels one at a time,
 * or generator pods in the cluster that follow the whole plan of levels at once and share its rates.
 */
public interface LoadGenerator {

    /** A request unanswered after this long failed: the clients' timeout in every run the driver makes. */
    Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** How many generators share a level's rate (each offers rate / generators). */
    int generators();

    /** Starts the generators of one staircase, ready for levels; their output goes to {@code dir}. */
    RunningLoad start(SystemUnderTest system, Workload workload, Path dir) throws IOException, InterruptedException;

    /**
     * What every level of a staircase has in common.
     *
     * @param maxRate the highest rate (primary requests/s) any level may ask for: users arrive at this rate / k
     *                and the levels thin them, so it bounds what the generator can offer
     * @param client  what sends the requests: Gatling, or PEAK's clients on peak-client
     */
    record Workload(Variant variant, int k, int cost, double maxRate, Duration requestTimeout, Client client) {

        /** Gatling's clients, as every staircase has them. */
        public Workload(Variant variant, int k, int cost, double maxRate, Duration requestTimeout) {
            this(variant, k, cost, maxRate, requestTimeout, Client.GATLING);
        }
    }

    /** Whether this generator can send with {@code client}: Gatling everywhere, peak-client in the lab. */
    default boolean sends(Client client) {
        return client == Client.GATLING;
    }

    /** What the experiment hears of a running level, besides its measurement; each hears what it needs. */
    interface Listener {
        /** The level's measuring window opened: the moment to read the system's CPU counters. */
        default void windowOpened(int level) {
        }

        default void windowClosed(int level) {
        }

        /** One second of the run: ok and failed requests, for fault timelines and progress. */
        default void tick(Tick tick) {
        }

        /** This listener, then {@code next}, hear everything. */
        default Listener and(Listener next) {
            Listener first = this;
            return new Listener() {
                @Override
                public void windowOpened(int level) {
                    first.windowOpened(level);
                    next.windowOpened(level);
                }

                @Override
                public void windowClosed(int level) {
                    first.windowClosed(level);
                    next.windowClosed(level);
                }

                @Override
                public void tick(Tick tick) {
                    first.tick(tick);
                    next.tick(tick);
                }
            };
        }

        /** A listener that hears nothing. */
        Listener NOBODY = new Listener() {
        };
    }

    /** A staircase's generators, running. */
    interface RunningLoad extends AutoCloseable {

        /**
         * Whether levels can be ordered one at a time, each once the previous one's result is in (a warm JVM). If
         * not, the staircase plans all its levels first and gives them to {@link #levels} at once.
         */
        boolean steerable();

        /** Runs {@code levels} back to back, each from the end of the previous one, and returns what each measured. */
        List<LevelMeasurement> levels(List<LevelCommand> levels, Listener listener) throws IOException, InterruptedException;

        /**
         * Sends the sessions that start from now on with work cost {@code cost}, so that one warm generator measures
         * every cost; only a steerable run takes it.
         */
        void cost(int cost) throws IOException;

        /** The folder of Gatling's HTML report, once closed; null where none is kept. */
        Path gatlingReport();

        /** Stops the generators (Gatling writes its report) and waits for them. */
        @Override
        void close();
    }
}
