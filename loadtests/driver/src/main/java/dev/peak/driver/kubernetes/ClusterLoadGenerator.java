package dev.peak.driver.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.ScalableResource;

import dev.peak.driver.experiment.LoadGenerator;
import dev.peak.driver.experiment.SimulationResult;
import dev.peak.driver.experiment.SystemUnderTest;

/**
 * The load generators as pods in the cluster ({@code --load-in-cluster}): each step is a Job of P pods in the
 * variant's namespace, each running the step's simulation at rate / P from the simulations image and printing
 * its measurements between two marker lines ({@code peak.out=-}). The driver reads every pod's log, adds the P
 * results into one and deletes the Job.
 */
public final class ClusterLoadGenerator implements LoadGenerator {

    /** The lines the simulations print around their JSON with peak.out=- (loadtests/simulations' Measurements). */
    static final String RESULT_BEGIN = "--- peak simulation result begin ---";
    static final String RESULT_END = "--- peak simulation result end ---";
    /** On the Job and its pods; the pods also carry the Job's name under {@link #JOB_LABEL}. */
    static final String GENERATOR = "peak-load";
    static final String JOB_LABEL = "peak.dev/load-job";
    /** Heap as beside the driver; the container's memory leaves room for Netty's buffers and the JVM itself. */
    private static final String HEAP = "-Xmx1g";
    private static final Quantity MEMORY = new Quantity("1536Mi");
    private static final Duration LOG_POLL = Duration.ofMillis(500);
    /** How long a finished Job stays if the driver could not delete it (it was killed, say). */
    private static final int KEEP_FINISHED_S = 3600;

    private final KubernetesClient client;
    private final String image;
    private final int pods;
    private final double cpus;
    private final Duration startTimeout;

    /**
     * @param cpus         each generator pod's CPU request and limit: the load generator's budget, as the lab
     *                     gives its one generator
     * @param startTimeout how long the pods may take to be scheduled and to pull the image, on top of the step
     */
    ClusterLoadGenerator(KubernetesClient client, String image, int pods, double cpus, Duration startTimeout) {
        this.client = client;
        this.image = image;
        this.pods = pods;
        this.cpus = cpus;
        this.startTimeout = startTimeout;
    }

    @Override
    public int generators() {
        return pods;
    }

    @Override
    public Run run(SystemUnderTest system, Request step, Runnable injectionStarted)
            throws IOException, InterruptedException {
        Files.createDirectories(step.dir());
        String namespace = Layout.of(step.variant()).namespace();
        Job job = client.batch().v1().jobs().inNamespace(namespace).resource(job(step)).create();
        String name = job.getMetadata().getName();
        Thread injection = new Thread(() -> awaitInjection(namespace, name, injectionStarted), "generator-logs");
        injection.setDaemon(true);
        injection.start();
        try {
            JobStatus status = awaitFinished(namespace, name, step);
            Map<Path, String> logs = new LinkedHashMap<>();
            for (Pod pod : client.pods().inNamespace(namespace).withLabel(JOB_LABEL, name).list().getItems()) {
                String podName = pod.getMetadata().getName();
                String log = client.pods().inNamespace(namespace).withName(podName).getLog();
                Path file = step.dir().resolve(podName + ".log");
                Files.writeString(file, log);
                logs.put(file, log);
            }
            if (status.getFailed() != null && status.getFailed() > 0) {
                throw new ClusterException(step.label() + ": generator Job " + name + " in namespace " + namespace
                        + " failed; see " + step.dir().resolve(name + "-*.log"));
            }
            if (logs.size() != pods) {
                throw new ClusterException(step.label() + ": generator Job " + name + " left " + logs.size()
                        + " pod(s) to read, not " + pods);
            }
            List<SimulationResult> results = new ArrayList<>();
            logs.forEach((file, log) -> results.add(SimulationResult.parse(printedResult(log, file))));
            return new Run(SimulationResult.merge(results), null);
        } finally {
            injection.interrupt();
            client.batch().v1().jobs().inNamespace(namespace).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        }
    }

    /** P pods, all at once, none retried (a retried generator would offer its share twice). */
    Job job(Request step) {
        String name = GENERATOR + "-" + step.variant().id() + "-" + Long.toString(System.currentTimeMillis(), 36);
        Quantity cpu = new Quantity(Math.round(cpus * 1000) + "m");
        return new JobBuilder()
                .withNewMetadata().withName(name).addToLabels(KubernetesVariant.NAME_LABEL, GENERATOR).endMetadata()
                .withNewSpec()
                .withParallelism(pods).withCompletions(pods).withBackoffLimit(0)
                // the Job ends even if the driver is gone and cannot delete it
                .withActiveDeadlineSeconds(step.timeout().plus(startTimeout).toSeconds())
                .withTtlSecondsAfterFinished(KEEP_FINISHED_S)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels(KubernetesVariant.NAME_LABEL, GENERATOR).addToLabels(JOB_LABEL, name)
                // a client from outside the mesh; an injected sidecar would also keep the pod from completing
                .addToAnnotations("sidecar.istio.io/inject", "false")
                .endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("gatling").withImage(image)
                .withArgs("--simulation", step.variant().simulation(), "--results-folder", "/tmp/gatling", "--no-reports")
                // after the image's entrypoint (java ... io.gatling.app.Gatling) arguments go to Gatling: JVM options here
                .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue(jvmOptions(step.properties())).endEnv()
                .withNewResources()
                .addToRequests("cpu", cpu).addToLimits("cpu", cpu)
                .addToRequests("memory", MEMORY).addToLimits("memory", MEMORY)
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private String jvmOptions(Map<String, String> properties) {
        List<String> options = new ArrayList<>(List.of("-XX:ActiveProcessorCount=" + (int) Math.ceil(cpus), HEAP,
                "-Dpeak.out=-"));
        // the JVM splits JAVA_TOOL_OPTIONS at spaces unless quoted (peak.dns lists the replicas space-separated)
        properties.forEach((key, value) -> options.add(value.contains(" ") ? "\"-D" + key + "=" + value + "\""
                : "-D" + key + "=" + value));
        return String.join(" ", options);
    }

    private JobStatus awaitFinished(String namespace, String name, Request step) {
        ScalableResource<Job> resource = client.batch().v1().jobs().inNamespace(namespace).withName(name);
        Duration timeout = step.timeout().plus(startTimeout);
        try {
            Job done = resource.waitUntilCondition(j -> j == null || finished(j.getStatus()),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (done == null) {
                throw new ClusterException(step.label() + ": generator Job " + name + " in namespace " + namespace
                        + " was deleted before it finished");
            }
            return done.getStatus();
        } catch (KubernetesClientTimeoutException e) {
            throw new ClusterException(step.label() + ": generator Job " + name + " in namespace " + namespace
                    + " did not finish in " + timeout.toSeconds() + " s: see `kubectl -n " + namespace
                    + " describe job " + name + "` (an image the nodes cannot pull? give --simulations-image)");
        }
    }

    private boolean finished(JobStatus status) {
        return status != null && ((status.getSucceeded() != null && status.getSucceeded() >= pods)
                || (status.getFailed() != null && status.getFailed() > 0));
    }

    /**
     * Says when the first generator began injecting, as its log tells (Gatling's "started..." line), so that a
     * fault counts from there as beside the driver; polls until then, or until interrupted.
     */
    private void awaitInjection(String namespace, String job, Runnable injectionStarted) {
        try {
            while (!injectionStarted(namespace, job)) {
                Thread.sleep(LOG_POLL.toMillis());
            }
            injectionStarted.run();
        } catch (InterruptedException e) {
            // the Job finished or failed first
        }
    }

    private boolean injectionStarted(String namespace, String job) {
        try {
            for (Pod pod : client.pods().inNamespace(namespace).withLabel(JOB_LABEL, job).list().getItems()) {
                if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                        && client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).getLog()
                        .contains(INJECTION_STARTED)) {
                    return true;
                }
            }
        } catch (KubernetesClientException e) {
            // a pod not yet serving its log: look again; the Job's own wait reports what went wrong
        }
        return false;
    }

    /** The JSON a generator printed between the markers. */
    static String printedResult(String log, Path file) {
        List<String> lines = log.lines().toList();
        int begin = lines.indexOf(RESULT_BEGIN);
        int end = begin < 0 ? -1 : lines.subList(begin, lines.size()).indexOf(RESULT_END) + begin;
        if (begin < 0 || end < begin) {
            throw new ClusterException("a generator printed no result (no line '" + RESULT_BEGIN + "'); see " + file);
        }
        return lines.subList(begin + 1, end).stream().collect(Collectors.joining("\n"));
    }
}
