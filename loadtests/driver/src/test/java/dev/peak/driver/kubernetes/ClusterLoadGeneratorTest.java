package dev.peak.driver.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.peak.driver.experiment.LoadGenerator;
import dev.peak.driver.experiment.SystemUnderTest;
import dev.peak.driver.variant.Variant;
import dev.peak.measurement.Counts;
import dev.peak.measurement.GeneratorLines;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;
import dev.peak.measurement.Tick;

/** The in-cluster load generators: one Job per staircase following its whole plan, the pods' results added. */
@EnableKubernetesMockClient(crud = true)
class ClusterLoadGeneratorTest {

    private static final String IMAGE = "registry.example/peak/simulations:test";
    private static final Duration START = Duration.ofSeconds(5);
    private static final Map<String, String> ENV = Map.of("PEAK_ENTRY", "http://a.peak.test:8080",
            "PEAK_DNS_SERVERS", "2001:db8:53::1 2001:db8:53::2");
    private static final List<LevelCommand> PLAN = List.of(new LevelCommand(0, 300, 0, 2000),
            new LevelCommand(1, 150, 500, 1000));

    KubernetesClient client;
    KubernetesMockServer server;

    @TempDir
    Path dir;

    private static LoadGenerator.Workload workload(Variant variant) {
        return new LoadGenerator.Workload(variant, 10, 1000, 600, Duration.ofSeconds(5));
    }

    @Test
    void eachGeneratorPodRunsThePlanOnceWithTheGeneratorsCpuBudget() {
        Job job = new ClusterLoadGenerator(client, IMAGE, 3, 1.5, START).job(ENV, workload(Variant.RI1_PEAK), PLAN,
                Duration.ofSeconds(40));

        assertEquals(3, job.getSpec().getParallelism());
        assertEquals(3, job.getSpec().getCompletions());
        assertEquals(0, job.getSpec().getBackoffLimit(), "a retried generator would offer its share twice");
        assertEquals(45, job.getSpec().getActiveDeadlineSeconds(), "the plan and the pods' start, then the Job ends");
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        Container gatling = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(IMAGE, gatling.getImage());
        assertEquals(List.of("--simulation", "dev.peak.simulations.Ri1PeakSimulation", "--results-folder", "/tmp/gatling",
                "--no-reports"), gatling.getArgs());
        assertEquals(new Quantity("1500m"), gatling.getResources().getRequests().get("cpu"));
        assertEquals(gatling.getResources().getRequests(), gatling.getResources().getLimits());
    }

    @Test
    void eachPodOffersItsShareOfEveryLevelOfThePlan() {
        Job job = new ClusterLoadGenerator(client, IMAGE, 2, 1.5, START).job(ENV, workload(Variant.RI1_PEAK), PLAN,
                Duration.ofSeconds(40));

        String options = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue();
        assertEquals("-XX:ActiveProcessorCount=2 -Dio.netty.eventLoopThreads=2 -Xmx1g -Dpeak.entry=http://a.peak.test:8080 "
                + "\"-Dpeak.dns=2001:db8:53::1 2001:db8:53::2\" -Dpeak.maxRate=300.0 -Dpeak.k=10 -Dpeak.cost=1000 "
                + "-Dpeak.timeoutMs=5000 \"-Dpeak.schedule=level 0 150.0 0 2000;level 1 75.0 500 1000\"", options);
    }

    @Test
    void meshGeneratorsStayOutOfTheMesh() {
        Job job = new ClusterLoadGenerator(client, IMAGE, 1, 1, START).job(ENV, workload(Variant.RI2_MESH), PLAN,
                Duration.ofSeconds(40));

        assertEquals("false", job.getSpec().getTemplate().getMetadata().getAnnotations().get("sidecar.istio.io/inject"));
    }

    @Test
    void theGeneratorsMeasurementsAreAddedLevelByLevelAndTheJobIsDeletedAfterwards() throws Exception {
        LoadGenerator.RunningLoad run = new ClusterLoadGenerator(client, IMAGE, 2, 1, START)
                .start(system(), workload(Variant.RI1_PEAK), dir);
        CompletableFuture<Void> jobController = CompletableFuture.runAsync(() -> completeJob("peak", 2));
        List<String> heard = new ArrayList<>();

        List<LevelMeasurement> levels = run.levels(PLAN, new LoadGenerator.Listener() {
            @Override
            public void windowOpened(int level) {
                heard.add("open " + level);
            }

            @Override
            public void windowClosed(int level) {
                heard.add("close " + level);
            }

            @Override
            public void tick(Tick tick) {
                heard.add("tick " + (tick.ok() + tick.ko()));
            }
        });
        jobController.get(5, TimeUnit.SECONDS);

        assertEquals(false, run.steerable());
        assertEquals(List.of(0, 1), levels.stream().map(LevelMeasurement::level).toList());
        assertEquals(new Counts(30, 1), levels.get(1).requests());
        assertEquals(Map.of("a-1", 17L, "a-2", 13L), levels.get(1).perInstance());
        assertTrue(heard.contains("tick 31"), "the pods' seconds are added: " + heard);
        assertEquals(List.of(), client.batch().v1().jobs().inNamespace("peak").list().getItems(), "the Job is deleted");
        assertTrue(Files.readString(dir.resolve("generator-1.log")).contains(GeneratorLines.READY), "each pod's log is kept");
    }

    @Test
    void aFailedGeneratorFailsTheStaircaseAndStillDeletesTheJob() throws Exception {
        LoadGenerator.RunningLoad run = new ClusterLoadGenerator(client, IMAGE, 2, 1, START)
                .start(system(), workload(Variant.RI1_PEAK), dir);
        CompletableFuture.runAsync(() -> {
            Job job = awaitJob("peak");
            client.batch().v1().jobs().inNamespace("peak").withName(job.getMetadata().getName())
                    .editStatus(j -> new JobBuilder(j).withNewStatus().withFailed(1).endStatus().build());
        });

        ClusterException e = assertThrows(ClusterException.class, () -> run.levels(PLAN, LoadGenerator.Listener.NOBODY));

        assertTrue(e.getMessage().startsWith("ri1-peak (cost 1000): generator Job peak-load-ri1-peak-"), e.getMessage());
        assertTrue(e.getMessage().contains(" failed; see "), e.getMessage());
        assertEquals(List.of(), client.batch().v1().jobs().inNamespace("peak").list().getItems());
    }

    @Test
    void aLogWithoutResultNamesTheLogFile() {
        ClusterException e = assertThrows(ClusterException.class,
                () -> ClusterLoadGenerator.printedResult("Exception in thread main\n", Path.of("staircases/x/pod.log")));

        assertEquals("a generator printed no result (no line '@peak-result …'); see staircases/x/pod.log", e.getMessage());
    }

    /** A deployed variant as the generators see it: only where to find it. */
    private static SystemUnderTest system() {
        return (SystemUnderTest) Proxy.newProxyInstance(ClusterLoadGeneratorTest.class.getClassLoader(),
                new Class<?>[]{SystemUnderTest.class}, (proxy, method, args) -> method.getName().equals("environment") ? ENV : null);
    }

    /**
     * The Job controller and the generators: two Running pods that say they are ready, print their results, and
     * the Job's success.
     */
    private void completeJob(String namespace, int pods) {
        Job job = awaitJob(namespace);
        String name = job.getMetadata().getName();
        assertNull(job.getStatus(), "created, not yet run");
        for (int i = 1; i <= pods; i++) {
            String pod = "generator-" + i;
            client.pods().inNamespace(namespace).resource(new PodBuilder()
                    .withNewMetadata().withName(pod).addToLabels(ClusterLoadGenerator.JOB_LABEL, name).endMetadata()
                    .withNewStatus().withPhase("Running").endStatus().build()).create();
            server.expect().get().withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?pretty=false")
                    .andReturn(200, GeneratorLines.READY + "\nGatling's console\n" + GeneratorLines.RESULT + " " + result(i)
                            + "\n").always();
        }
        client.batch().v1().jobs().inNamespace(namespace).withName(name)
                .editStatus(j -> new JobBuilder(j).withNewStatus().withSucceeded(pods).endStatus().build());
    }

    private Job awaitJob(String namespace) {
        return client.batch().v1().jobs().inNamespace(namespace).withLabel(KubernetesVariant.NAME_LABEL,
                ClusterLoadGenerator.GENERATOR).informOnCondition(jobs -> !jobs.isEmpty()).join().get(0);
    }

    /** Generator i's result: in level 1, 15 OK requests and i - 1 KO ones; one second of them. */
    private static String result(int i) {
        String level = "{\"level\":%d,\"rate\":75.0,\"windowStartEpochMs\":%d,\"windowEndEpochMs\":%d,\"sessionsStarted\":2,"
                + "\"requests\":{\"ok\":15,\"ko\":%d},\"primaryCompleted\":15,\"latency\":{},"
                + "\"perInstance\":{\"a-1\":%d,\"a-2\":%d},\"processCpuS\":0.5}";
        return "{\"levels\":[" + String.format(level, 0, 1000 * i, 1000 * i + 2000, 0, 15, 0) + ","
                + String.format(level, 1, 3000 * i, 3000 * i + 1000, i - 1, 7 + 3 * (i - 1), 8 - 3 * (i - 1)) + "],"
                + "\"ticks\":[{\"second\":0,\"epochMs\":5000,\"level\":1,\"rate\":75.0,\"ok\":15,\"ko\":" + (i - 1)
                + ",\"p99Ms\":1.0}]}";
    }
}
