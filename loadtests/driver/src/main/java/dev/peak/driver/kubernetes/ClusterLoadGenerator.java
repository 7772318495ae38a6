package dev.peak.driver.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.peak.driver.experiment.LoadGenerator;
import dev.peak.driver.experiment.Simulations;
import dev.peak.driver.experiment.SystemUnderTest;
import dev.peak.measurement.GeneratorLines;
import dev.peak.measurement.GeneratorReport;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;
import dev.peak.measurement.Tick;

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

/**
 * The load generators as pods in the cluster ({@code --load-in-cluster}): each staircase is a Job of P pods in the
 * variant's namespace, each following the staircase's whole plan of levels at rate / P ({@code peak.schedule}: a pod
 * cannot be steered level by level) and printing everything it measured at the end ({@link GeneratorLines#RESULT}).
 * The driver reads every pod's log, adds the P measurements of each level into one and deletes the Job.
 */
public final class ClusterLoadGenerator implements LoadGenerator {

    /** On the Job and its pods; the pods also carry the Job's name under {@link #JOB_LABEL}. */
    static final String GENERATOR = "peak-load";
    static final String JOB_LABEL = "peak.dev/load-job";
    /** Heap as beside the driver; the container's memory leaves room for Netty's buffers and the JVM itself. */
    private static final String HEAP = "-Xmx1g";
    private static final Quantity MEMORY = new Quantity("1536Mi");
    private static final Duration LOG_POLL = Duration.ofMillis(500);
    /** How long a finished Job stays if the driver could not delete it (it was killed, say). */
    private static final int KEEP_FINISHED_S = 3600;
    /** After its last level, a generator waits for that level's requests (their timeout) and prints its result. */
    private static final Duration TAIL = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final String image;
    private final int pods;
    private final double cpus;
    private final Duration startTimeout;

    /**
     * @param cpus         each generator pod's CPU request and limit: the load generator's budget, as the lab
     *                     gives its one generator
     * @param startTimeout how long the pods may take to be scheduled and to pull the image, on top of the plan
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
    public RunningLoad start(SystemUnderTest system, Workload workload, Path dir) throws IOException {
        Files.createDirectories(dir);
        return new JobRun(system.environment(), workload, dir);
    }

    /** One staircase's Job, created when its plan is known. */
    private final class JobRun implements RunningLoad {
        private final Map<String, String> env;
        private final Workload workload;
        private final Path dir;

        JobRun(Map<String, String> env, Workload workload, Path dir) {
            this.env = env;
            this.workload = workload;
            this.dir = dir;
        }

        @Override
        public boolean steerable() {
            return false;
        }

        @Override
        public List<LevelMeasurement> levels(List<LevelCommand> levels, Listener listener)
                throws IOException, InterruptedException {
            String namespace = Layout.of(workload.variant()).namespace();
            Duration plan = Duration.ofMillis(levels.stream().mapToLong(l -> l.settleMs() + l.windowMs()).sum()).plus(TAIL);
            Job job = client.batch().v1().jobs().inNamespace(namespace).resource(job(env, workload, levels, plan)).create();
            String name = job.getMetadata().getName();
            ScheduledExecutorService windows = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "generator-windows");
                thread.setDaemon(true);
                return thread;
            });
            Thread ready = new Thread(() -> awaitReady(namespace, name, levels, listener, windows), "generator-logs");
            ready.setDaemon(true);
            ready.start();
            try {
                JobStatus status = awaitFinished(namespace, name, plan);
                Map<Path, String> logs = new LinkedHashMap<>();
                for (Pod pod : client.pods().inNamespace(namespace).withLabel(JOB_LABEL, name).list().getItems()) {
                    String podName = pod.getMetadata().getName();
                    String log = client.pods().inNamespace(namespace).withName(podName).getLog();
                    Path file = dir.resolve(podName + ".log");
                    Files.writeString(file, log);
                    logs.put(file, log);
                }
                if (status.getFailed() != null && status.getFailed() > 0) {
                    throw new ClusterException(label() + ": generator Job " + name + " in namespace " + namespace
                            + " failed; see " + dir.resolve(name + "-*.log"));
                }
                if (logs.size() != pods) {
                    throw new ClusterException(label() + ": generator Job " + name + " left " + logs.size()
                            + " pod(s) to read, not " + pods);
                }
                List<GeneratorReport> reports = new ArrayList<>();
                for (Map.Entry<Path, String> log : logs.entrySet()) {
                    reports.add(printedResult(log.getValue(), log.getKey()));
                }
                Tick.merge(reports.stream().map(GeneratorReport::ticks).toList()).forEach(listener::tick);
                List<LevelMeasurement> merged = new ArrayList<>();
                for (LevelCommand level : levels) {
                    List<LevelMeasurement> parts = reports.stream().flatMap(r -> r.levels().stream())
                            .filter(m -> m.level() == level.level()).toList();
                    if (parts.size() != pods) {
                        throw new ClusterException(label() + ": " + parts.size() + " of " + pods
                                + " generators measured level " + level.level() + "; see " + dir);
                    }
                    merged.add(LevelMeasurement.merge(parts));
                }
                return merged;
            } finally {
                ready.interrupt();
                windows.shutdownNow();
                client.batch().v1().jobs().inNamespace(namespace).withName(name)
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            }
        }

        /** A generator Job follows one plan at the cost it was started with. */
        @Override
        public void cost(int cost) {
            throw new UnsupportedOperationException("a generator Job cannot change its work cost: start another");
        }

        @Override
        public Path gatlingReport() {
            return null;
        }

        @Override
        public void close() {
            // each plan's Job is deleted when it is done
        }

        private String label() {
            return workload.variant() + " (cost " + workload.cost() + ")";
        }
    }

    /** P pods, all at once, none retried (a retried generator would offer its share twice). */
    Job job(Map<String, String> env, Workload workload, List<LevelCommand> levels, Duration plan) {
        String name = GENERATOR + "-" + workload.variant().id() + "-" + Long.toString(System.currentTimeMillis(), 36);
        Quantity cpu = new Quantity(Math.round(cpus * 1000) + "m");
        return new JobBuilder()
                .withNewMetadata().withName(name).addToLabels(KubernetesVariant.NAME_LABEL, GENERATOR).endMetadata()
                .withNewSpec()
                .withParallelism(pods).withCompletions(pods).withBackoffLimit(0)
                // the Job ends even if the driver is gone and cannot delete it
                .withActiveDeadlineSeconds(plan.plus(startTimeout).toSeconds())
                .withTtlSecondsAfterFinished(KEEP_FINISHED_S)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels(KubernetesVariant.NAME_LABEL, GENERATOR).addToLabels(JOB_LABEL, name)
                // a client from outside the mesh; an injected sidecar would also keep the pod from completing
                .addToAnnotations("sidecar.istio.io/inject", "false")
                .endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("gatling").withImage(image)
                .withArgs("--simulation", workload.variant().simulation(), "--results-folder", "/tmp/gatling", "--no-reports")
                // after the image's entrypoint (java ... io.gatling.app.Gatling) arguments go to Gatling: JVM options here
                .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue(jvmOptions(env, workload, levels)).endEnv()
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

    private String jvmOptions(Map<String, String> env, Workload workload, List<LevelCommand> levels) {
        List<String> options = new ArrayList<>(Simulations.jvmSizing((int) Math.ceil(cpus)));
        options.add(HEAP);
        List<String> properties = new ArrayList<>(Simulations.properties(env, workload, pods));
        // each pod offers its share of every level
        properties.add("-Dpeak.schedule=" + levels.stream()
                .map(l -> new LevelCommand(l.level(), l.rate() / pods, l.settleMs(), l.windowMs()).toLine())
                .collect(Collectors.joining(";")));
        // the JVM splits JAVA_TOOL_OPTIONS at spaces unless quoted (peak.dns lists the replicas space-separated)
        properties.forEach(p -> options.add(p.contains(" ") ? "\"" + p + "\"" : p));
        return String.join(" ", options);
    }

    private JobStatus awaitFinished(String namespace, String name, Duration plan) {
        ScalableResource<Job> resource = client.batch().v1().jobs().inNamespace(namespace).withName(name);
        Duration timeout = plan.plus(startTimeout);
        try {
            Job done = resource.waitUntilCondition(j -> j == null || finished(j.getStatus()),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (done == null) {
                throw new ClusterException("generator Job " + name + " in namespace " + namespace
                        + " was deleted before it finished");
            }
            return done.getStatus();
        } catch (KubernetesClientTimeoutException e) {
            throw new ClusterException("generator Job " + name + " in namespace " + namespace
                    + " did not finish in " + timeout.toSeconds() + " s: see `kubectl -n " + namespace
                    + " describe job " + name + "` (an image the nodes cannot pull? give --simulations-image)");
        }
    }

    private boolean finished(JobStatus status) {
        return status != null && ((status.getSucceeded() != null && status.getSucceeded() >= pods)
                || (status.getFailed() != null && status.getFailed() > 0));
    }

    /**
     * Tells the listener when each level's window opens and closes, reckoned from when the first generator said it
     * was ready (its log's {@link GeneratorLines#READY} line) and the plan: a fault counts from there as beside the
     * driver. Polls until then, or until interrupted.
     */
    private void awaitReady(String namespace, String job, List<LevelCommand> levels, Listener listener,
                            ScheduledExecutorService windows) {
        try {
            while (!ready(namespace, job)) {
                Thread.sleep(LOG_POLL.toMillis());
            }
            long at = 0;
            for (LevelCommand level : levels) {
                at += level.settleMs();
                windows.schedule(() -> listener.windowOpened(level.level()), at, TimeUnit.MILLISECONDS);
                at += level.windowMs();
                windows.schedule(() -> listener.windowClosed(level.level()), at, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            // the Job finished or failed first
        }
    }

    private boolean ready(String namespace, String job) {
        try {
            for (Pod pod : client.pods().inNamespace(namespace).withLabel(JOB_LABEL, job).list().getItems()) {
                if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                        && client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).getLog()
                        .contains(GeneratorLines.READY)) {
                    return true;
                }
            }
        } catch (KubernetesClientException e) {
            // a pod not yet serving its log: look again; the Job's own wait reports what went wrong
        }
        return false;
    }

    /** The result a generator printed at the end of its log. */
    static GeneratorReport printedResult(String log, Path file) throws IOException {
        for (String line : log.lines().toList()) {
            Optional<GeneratorLines.Tagged> tagged = GeneratorLines.parse(line);
            if (tagged.isPresent() && tagged.get().tag().equals(GeneratorLines.RESULT)) {
                return JSON.readValue(tagged.get().json(), GeneratorReport.class);
            }
        }
        throw new ClusterException("a generator printed no result (no line '" + GeneratorLines.RESULT + " …'); see " + file);
    }

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            false);
}
