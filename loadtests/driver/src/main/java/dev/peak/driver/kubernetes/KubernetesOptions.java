package dev.peak.driver.kubernetes;

import java.time.Duration;

import picocli.CommandLine.Option;

/** The bench options that apply with {@code --platform kubernetes}. */
public final class KubernetesOptions {

    @Option(names = "--ready-timeout", defaultValue = "300",
            description = "Kubernetes: seconds to wait for Ready pods and LoadBalancer addresses, and for generator pods "
                    + "to start (default: ${DEFAULT-VALUE})")
    long readyTimeoutS;

    @Option(names = "--rise-wait", defaultValue = "3",
            description = "Kubernetes: seconds the balancers get to start sending traffic to pods that just became Ready; "
                    + "peak-dns admits an endpoint after 2 passing probes 1 s apart (default: ${DEFAULT-VALUE})")
    long riseWaitS;

    @Option(names = "--load-in-cluster",
            description = "Kubernetes: run each step's load generators as a Job in the variant's namespace instead of "
                    + "a child JVM on this machine")
    boolean loadInCluster;

    @Option(names = "--load-pods", defaultValue = "1",
            description = "With --load-in-cluster: generator pods per step, each offering rate / P with --cpus-load CPUs "
                    + "(default: ${DEFAULT-VALUE})")
    int loadPods;

    @Option(names = "--simulations-image",
            description = "With --load-in-cluster: the generators' image (default: peak/simulations:<driver version>)")
    String simulationsImage;

    public boolean loadInCluster() {
        return loadInCluster;
    }

    Duration readyTimeout() {
        if (readyTimeoutS < 1) {
            throw new IllegalArgumentException("--ready-timeout must be at least 1 s, not " + readyTimeoutS);
        }
        return Duration.ofSeconds(readyTimeoutS);
    }

    Duration riseWait() {
        if (riseWaitS < 0) {
            throw new IllegalArgumentException("--rise-wait must not be negative, not " + riseWaitS);
        }
        return Duration.ofSeconds(riseWaitS);
    }

    int loadPods() {
        if (loadPods < 1 || loadPods > 100) {
            throw new IllegalArgumentException("--load-pods must be between 1 and 100, not " + loadPods);
        }
        return loadPods;
    }

    /** The image the simulations module's Jib build pushes for this version, unless told otherwise. */
    String simulationsImage() {
        if (simulationsImage != null) {
            return simulationsImage;
        }
        String version = KubernetesOptions.class.getPackage().getImplementationVersion();
        if (version == null) {
            throw new IllegalStateException("the driver's version is known only when it runs from its jar: "
                    + "give --simulations-image");
        }
        return "peak/simulations:" + version;
    }
}
