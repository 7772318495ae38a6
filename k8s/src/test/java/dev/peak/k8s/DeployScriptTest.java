package dev.peak.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** k8s/deploy.sh, behind make deploy-peak, deploy-proxy, deploy-mesh and undeploy. */
class DeployScriptTest {

    private record Result(int exit, String output) {
    }

    @Test
    void deployWithoutAReachableClusterStopsWithTheReason() throws Exception {
        // a context whose API server is a closed port on loopback: nothing answers, nothing leaves the machine
        Path kubeconfig = Files.createTempFile("kubeconfig-", ".yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: nowhere
                    cluster: {server: "https://[::1]:1"}
                contexts:
                  - name: nowhere
                    context: {cluster: nowhere, user: nobody}
                users:
                  - name: nobody
                    user: {}
                current-context: nowhere
                """);
        try {
            for (String variant : List.of("peak", "mesh")) {
                Result result = deploy(Map.of("KUBECONFIG", kubeconfig.toString()), "apply", variant);
                assertEquals(1, result.exit(), result.output());
                assertTrue(result.output().contains("No Kubernetes cluster is reachable from kubectl's current context (nowhere)"),
                        result.output());
            }
        } finally {
            Files.delete(kubeconfig);
        }
    }

    @Test
    void renderPutsTheRegistryAndTagOnOurImagesOnly() throws Exception {
        Result result = deploy(Map.of("REGISTRY", "registry.example/team/", "IMAGE_TAG", "7.0-native"), "render", "proxy");
        assertEquals(0, result.exit(), result.output());
        List<String> images = StrictModels.parse(result.output()).stream().filter(Deployment.class::isInstance)
                .map(d -> ((Deployment) d).getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).sorted().toList();
        assertEquals(List.of("haproxy:2.8", "registry.example/team/peak/service-a:7.0-native",
                "registry.example/team/peak/service-b:7.0-native"), images);
    }

    @Test
    void dualStackIsTheUsersChoice() throws Exception {
        Result result = deploy(Map.of("DUAL_STACK", "1"), "render", "peak");
        assertEquals(0, result.exit(), result.output());
        for (HasMetadata object : StrictModels.parse(result.output())) {
            if (object instanceof io.fabric8.kubernetes.api.model.Service service) {
                assertEquals(List.of("IPv6", "IPv4"), service.getSpec().getIpFamilies());
            }
        }
    }

    @Test
    void anUnknownVariantIsAUsageError() throws Exception {
        Result result = deploy(Map.of(), "apply", "ingress");
        assertEquals(2, result.exit());
        assertTrue(result.output().contains("usage: k8s/deploy.sh apply|delete|render peak|proxy|proxy-nginx|mesh"), result.output());
    }

    /** Runs the copy's deploy script (stderr merged: messages are part of the contract). */
    private static Result deploy(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path script = Kustomize.file("k8s/deploy.sh");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString());
        builder.command().addAll(List.of(args));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "deploy.sh did not finish");
        return new Result(process.exitValue(), output);
    }
}
