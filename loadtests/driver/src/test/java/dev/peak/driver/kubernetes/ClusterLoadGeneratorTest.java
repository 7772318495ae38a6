package dev.peak.driver.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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

import dev.peak.driver.experiment.BenchVariant;
import dev.peak.driver.experiment.LoadGenerator;
import dev.peak.driver.experiment.SimulationResult;

/** The in-cluster load generators: one Job per step, its pods' printed results read back and added. */
@EnableKubernetesMockClient(crud = true)
class ClusterLoadGeneratorTest {

    private static final String IMAGE = "registry.example/peak/simulations:test";
    private static final Duration START = Duration.ofSeconds(5);

    KubernetesClient client;
    KubernetesMockServer server;

    @TempDir
    Path dir;

    private LoadGenerator.Request step(BenchVariant variant) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("peak.entry", "http://a.peak.test:8080");
        properties.put("peak.rate", "5.0");
        properties.put("peak.dns", "2001:db8:53::1 2001:db8:53::2");
        return new LoadGenerator.Request(variant, 150, properties, true, dir, Duration.ofSeconds(20));
    }

    @Test
    void eachGeneratorPodRunsTheStepOnceWithTheGeneratorsCpuBudget() {
        Job job = new ClusterLoadGenerator(client, IMAGE, 3, 1.5, START).job(step(BenchVariant.RI1_PEAK));

        assertEquals(3, job.getSpec().getParallelism());
        assertEquals(3, job.getSpec().getCompletions());
        assertEquals(0, job.getSpec().getBackoffLimit(), "a retried generator would offer its share twice");
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        Container gatling = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(IMAGE, gatling.getImage());
        assertEquals(List.of("--simulation", "dev.peak.simulations.Ri1PeakSimulation", "--results-folder", "/tmp/gatling",
                "--no-reports"), gatling.getArgs());
        assertEquals(new Quantity("1500m"), gatling.getResources().getRequests().get("cpu"));
        assertEquals(gatling.getResources().getRequests(), gatling.getResources().getLimits());
    }

    @Test
    void generatorsPrintTheirResultAndGetTheStepsPropertiesAsJvmOptions() {
        Job job = new ClusterLoadGenerator(client, IMAGE, 2, 1.5, START).job(step(BenchVariant.RI1_PEAK));

        String options = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue();
        assertEquals("-XX:ActiveProcessorCount=2 -Xmx1g -Dpeak.out=- -Dpeak.entry=http://a.peak.test:8080 "
                + "-Dpeak.rate=5.0 \"-Dpeak.dns=2001:db8:53::1 2001:db8:53::2\"", options);
    }

    @Test
    void meshGeneratorsStayOutOfTheMesh() {
        Job job = new ClusterLoadGenerator(client, IMAGE, 1, 1, START).job(step(BenchVariant.RI2_MESH));

        assertEquals("false", job.getSpec().getTemplate().getMetadata().getAnnotations().get("sidecar.istio.io/inject"));
    }

    @Test
    void theGeneratorsResultsAreAddedAndTheJobIsDeletedAfterwards() throws Exception {
        ClusterLoadGenerator generators = new ClusterLoadGenerator(client, IMAGE, 2, 1, START);
        CountDownLatch injecting = new CountDownLatch(1);
        CompletableFuture<Void> jobController = CompletableFuture.runAsync(() -> completeJob("peak", 2, injecting));

        SimulationResult result = generators.run(null, step(BenchVariant.RI1_PEAK), injecting::countDown).result();
        jobController.get(5, TimeUnit.SECONDS);

        assertEquals(0, injecting.getCount(), "the fault clock starts when a generator logs Gatling's start");
        assertEquals(new SimulationResult.Counts(30, 1), result.requests());
        assertEquals(Map.of("a-1", 17L, "a-2", 13L), result.perInstance());
        assertEquals(List.of(), client.batch().v1().jobs().inNamespace("peak").list().getItems(), "the Job is deleted");
        assertTrue(Files.readString(dir.resolve("generator-1.log")).contains("started..."), "each pod's log is kept");
    }

    @Test
    void aFailedGeneratorFailsTheStepAndStillDeletesTheJob() {
        ClusterLoadGenerator generators = new ClusterLoadGenerator(client, IMAGE, 2, 1, START);
        CompletableFuture.runAsync(() -> {
            Job job = awaitJob("peak");
            client.batch().v1().jobs().inNamespace("peak").withName(job.getMetadata().getName())
                    .editStatus(j -> new JobBuilder(j).withNewStatus().withFailed(1).endStatus().build());
        });

        ClusterException e = assertThrows(ClusterException.class,
                () -> generators.run(null, step(BenchVariant.RI1_PEAK), () -> { }));

        assertTrue(e.getMessage().startsWith("ri1-peak at 150.0 rps: generator Job peak-load-ri1-peak-"), e.getMessage());
        assertTrue(e.getMessage().contains(" failed; see "), e.getMessage());
        assertEquals(List.of(), client.batch().v1().jobs().inNamespace("peak").list().getItems());
    }

    @Test
    void theResultIsTheJsonBetweenTheMarkerLines() {
        String log = "Picked up JAVA_TOOL_OPTIONS: ...\nSimulation started...\n" + ClusterLoadGenerator.RESULT_BEGIN
                + "\n{\"a\":\n 1}\n" + ClusterLoadGenerator.RESULT_END + "\nGatling done\n";

        assertEquals("{\"a\":\n 1}", ClusterLoadGenerator.printedResult(log, Path.of("pod.log")));
    }

    @Test
    void aLogWithoutResultNamesTheLogFile() {
        ClusterException e = assertThrows(ClusterException.class,
                () -> ClusterLoadGenerator.printedResult("Exception in thread main\n", Path.of("steps/x/pod.log")));

        assertEquals("a generator printed no result (no line '--- peak simulation result begin ---'); see steps/x/pod.log",
                e.getMessage());
    }

    /**
     * The Job controller and the generators: two Running pods that log Gatling's start, then (once the driver
     * has seen it) their results, then the Job's success.
     */
    private void completeJob(String namespace, int pods, CountDownLatch injecting) {
        Job job = awaitJob(namespace);
        String name = job.getMetadata().getName();
        assertNull(job.getStatus(), "created, not yet run");
        for (int i = 1; i <= pods; i++) {
            String pod = "generator-" + i;
            client.pods().inNamespace(namespace).resource(new PodBuilder()
                    .withNewMetadata().withName(pod).addToLabels(ClusterLoadGenerator.JOB_LABEL, name).endMetadata()
                    .withNewStatus().withPhase("Running").endStatus().build()).create();
            server.expect().get().withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?pretty=false")
                    .andReturn(200, "Simulation dev.peak.simulations.Ri1PeakSimulation started...\n"
                            + ClusterLoadGenerator.RESULT_BEGIN + "\n" + result(i) + "\n" + ClusterLoadGenerator.RESULT_END + "\n")
                    .always();
        }
        try {
            injecting.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.batch().v1().jobs().inNamespace(namespace).withName(name)
                .editStatus(j -> new JobBuilder(j).withNewStatus().withSucceeded(pods).endStatus().build());
    }

    private Job awaitJob(String namespace) {
        return client.batch().v1().jobs().inNamespace(namespace).withLabel(KubernetesVariant.NAME_LABEL,
                ClusterLoadGenerator.GENERATOR).informOnCondition(jobs -> !jobs.isEmpty()).join().get(0);
    }

    /** Generator i's printed result: 15 OK requests and i - 1 KO ones. */
    private static String result(int i) {
        return "{\"simulation\":\"Ri1PeakSimulation\",\"rate\":5.0,\"durationS\":10,\"settleS\":0,\"k\":10,\"cost\":1000,"
                + "\"startEpochMs\":" + (1000 * i) + ",\"endEpochMs\":" + (1000 * i + 10_000) + ","
                + "\"sessions\":{\"ok\":2,\"ko\":0},\"requests\":{\"ok\":15,\"ko\":" + (i - 1) + "},"
                + "\"latency\":{},\"perSecond\":[{\"t\":0,\"ok\":15,\"ko\":" + (i - 1) + "}],"
                + "\"perInstance\":{\"a-1\":" + (7 + 3 * (i - 1)) + ",\"a-2\":" + (8 - 3 * (i - 1)) + "},\"processCpuS\":2.0}";
    }
}
