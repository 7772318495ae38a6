package dev.peak.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** k8s/deploy.sh, behind make deploy-peak, deploy-proxy, deploy-mesh and undeploy. */
class DeployScriptTest {

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
                Command result = deploy(Map.of("KUBECONFIG", kubeconfig.toString()), "apply", variant);
                assertEquals(1, result.exit(), result.all());
                assertTrue(result.all().contains("No Kubernetes cluster is reachable from kubectl's current context (nowhere)"),
                        result.all());
            }
        } finally {
            Files.delete(kubeconfig);
        }
    }

    @Test
    void applyAppliesTheGeneratedKustomizationAndNamesTheNamespace(@TempDir Path bin) throws Exception {
        // a stand-in kubectl first on the PATH: a cluster that answers and reports what apply -k would
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(kubectl, """
                #!/bin/sh
                echo "$*" >> "$(dirname "$0")/calls"
                case "$1" in
                  apply) echo "namespace/peak-proxy created"; echo "deployment.apps/proxy created" ;;
                esac
                """);
        assertTrue(kubectl.toFile().setExecutable(true));
        Command result = deploy(Map.of("PATH", bin + ":" + System.getenv("PATH")), "apply", "proxy");
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("deployment.apps/proxy created"), result.all());
        assertTrue(result.out().contains("Applied k8s/overlays/proxy to namespace peak-proxy."), result.all());
        List<String> calls = Files.readAllLines(bin.resolve("calls"));
        assertEquals("apply -k " + Kustomize.file("k8s/.deploy/proxy"), calls.get(calls.size() - 1));
    }

    @Test
    void renderPutsTheRegistryAndTagOnOurImagesOnly() throws Exception {
        Command result = deploy(Map.of("REGISTRY", "registry.example/team/", "IMAGE_TAG", "7.0-native"), "render", "proxy");
        assertEquals(0, result.exit(), result.all());
        List<String> images = StrictModels.parse(result.out()).stream().filter(Deployment.class::isInstance)
                .map(d -> ((Deployment) d).getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).sorted().toList();
        assertEquals(List.of("haproxy:2.8", "registry.example/team/peak/service-a:7.0-native",
                "registry.example/team/peak/service-b:7.0-native"), images);
    }

    @Test
    void dualStackIsTheUsersChoice() throws Exception {
        Command result = deploy(Map.of("DUAL_STACK", "1"), "render", "peak");
        assertEquals(0, result.exit(), result.all());
        for (HasMetadata object : StrictModels.parse(result.out())) {
            if (object instanceof io.fabric8.kubernetes.api.model.Service service) {
                assertEquals(List.of("IPv6", "IPv4"), service.getSpec().getIpFamilies());
            }
        }
    }

    @Test
    void anUnknownVariantIsAUsageError() throws Exception {
        Command result = deploy(Map.of(), "apply", "ingress");
        assertEquals(2, result.exit());
        assertTrue(result.all().contains("usage: k8s/deploy.sh apply|delete|render peak|proxy|proxy-nginx|mesh"), result.all());
    }

    /** Runs the copy's deploy script. */
    private static Command deploy(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", Kustomize.file("k8s/deploy.sh").toString()));
        command.addAll(List.of(args));
        return Command.run(command, env);
    }
}
