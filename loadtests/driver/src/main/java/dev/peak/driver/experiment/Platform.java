package dev.peak.driver.experiment;

import java.util.List;
import java.util.Map;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.variant.Named;
import dev.peak.driver.variant.Variant;

/**
 * Where the experiment's variants run ({@code bench --platform}): the local lab or a Kubernetes cluster. It
 * brings each variant up for the experiment and says, for the manifest, how it ran them.
 */
public interface Platform extends AutoCloseable {

    /** The manifest's {@code plan.platform}, which the report reads. */
    Kind kind();

    /** The platforms {@code bench --platform} knows, by the name it takes. */
    enum Kind implements Named {
        LOCAL("local"),
        KUBERNETES("kubernetes");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        public static Kind of(String id) {
            return Named.byId(Kind.class, id, "--platform");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /**
     * Brings {@code variant} up with {@code servers} instances of each service and at least {@code dnsReplicas}
     * peak-dns replicas (PEAK variants), under {@code budgets} where the platform sets them; {@code label} names its
     * logs and configs where the platform keeps any.
     */
    SystemUnderTest start(Variant variant, CpuBudgets budgets, int servers, int dnsReplicas, String label);

    /** Runs the staircases' simulations: a child JVM beside the driver, or generator pods in the cluster. */
    LoadGenerator loadGenerator();

    /**
     * The CPUs the system under test may use in all, against which a staircase's budgets must fit; empty where the
     * platform grants them itself (a cluster schedules pods by their requests).
     */
    java.util.OptionalInt systemCpus();

    /** How the variants ran, once they did: the manifest's CPU budgets, versions and notes. */
    Setup setup();

    @Override
    void close();

    /**
     * @param cpuEnforcement how the budgets were enforced, e.g. "cgroup v1 CFS quota (10 ms period)"
     * @param cpuBudgets     CPUs per role or per container
     * @param versions       versions of what the platform ran (proxies, cluster, images)
     * @param notes          anything about the platform that bends the numbers, in plain words
     */
    record Setup(String cpuEnforcement, Map<String, Double> cpuBudgets, Map<String, String> versions,
                 List<String> notes) {
    }
}
