package dev.peak.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** k8s/deploy.sh, behind make deploy-peak, deploy-proxy, deploy-mesh and undeploy. */
class DeployScriptTest {

    /** What deploys in these tests: a registry of nobody's, with a tag, so apply gets as far as the cluster. */
    private static final Map<String, String> PUSHED = Map.of("REGISTRY", "registry.example/team", "IMAGE_TAG", "7.0");

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
                Command result = deploy(with(PUSHED, "KUBECONFIG", kubeconfig.toString()), "apply", variant);
                assertEquals(1, result.exit(), result.all());
                assertTrue(result.all().contains("No Kubernetes cluster is reachable from kubectl's current context (nowhere)"),
                        result.all());
            }
        } finally {
            Files.delete(kubeconfig);
        }
    }

    @Test
    void applyCreatesTheNamespaceChecksAdmissionThenAppliesTheRenderedVariant(@TempDir Path bin) throws Exception {
        Command result = deploy(with(PUSHED, "PATH", standInKubectl(bin, "") + ":" + System.getenv("PATH")), "apply", "proxy");
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("Applied k8s/overlays/proxy to namespace peak-proxy."), result.all());
        Path dir = Kustomize.file("k8s/.deploy/proxy");
        List<String> calls = calls(bin);
        int namespace = calls.indexOf("apply -f " + dir.resolve("namespace.yaml"));
        int check = indexOfPrefix(calls, "create --dry-run=server");
        int apply = calls.indexOf("apply -f " + dir.resolve("rendered.yaml"));
        assertTrue(namespace >= 0 && namespace < check && check < apply, "namespace, admission check, apply: " + calls);
        assertTrue(Files.readString(dir.resolve("namespace.yaml")).contains("name: peak-proxy"));
        assertFalse(result.err().contains("WARNING"), result.all());
    }

    @Test
    void theAdmissionCheckAsksAboutServiceAAsTheManifestsWriteIt(@TempDir Path bin) throws Exception {
        standInKubectl(bin, """
                  create) cat > "$(dirname "$0")/admission-check.yaml" ;;
                """);
        Command result = deploy(with(PUSHED, "PATH", bin + ":" + System.getenv("PATH")), "apply", "mesh");
        assertEquals(0, result.exit(), result.all());
        Pod check = (Pod) StrictModels.parse(Files.readString(bin.resolve("admission-check.yaml"))).get(0);
        PodSpec server = StrictModels.parse(Files.readString(Kustomize.file("k8s/.deploy/mesh/rendered.yaml"))).stream()
                .filter(o -> o instanceof Deployment d && d.getMetadata().getName().equals("service-a"))
                .map(d -> ((Deployment) d).getSpec().getTemplate().getSpec()).findFirst().orElseThrow();
        assertEquals("peak-mesh", check.getMetadata().getNamespace());
        assertEquals(server.getSecurityContext(), check.getSpec().getSecurityContext(), "the pod's security context");
        assertEquals(server.getContainers().get(0).getSecurityContext(), check.getSpec().getContainers().get(0).getSecurityContext(),
                "the container's security context");
        assertEquals(server.getContainers().get(0).getImage(), check.getSpec().getContainers().get(0).getImage());
    }

    @Test
    void applyWithoutARegistryFailsWithTheCommandsThatBuildAndDeploy() throws Exception {
        Command result = deploy(Map.of("REGISTRY", ""), "apply", "peak");
        assertEquals(1, result.exit(), result.all());
        // nobody's docker.io/peak/* images: the one line says where images come from, before any cluster is asked
        assertTrue(result.err().contains("make images REGISTRY=<host>[/<path>]   then   make deploy-peak REGISTRY=<the same>"),
                result.all());
    }

    @Test
    void applyWithARegistryThisCheckoutNeverPushedToSaysToPushFirst() throws Exception {
        Command result = deploy(Map.of("REGISTRY", "registry.example/elsewhere"), "apply", "peak");
        assertEquals(1, result.exit(), result.all());
        assertTrue(result.err().contains("make images REGISTRY=registry.example/elsewhere, or name a tag pushed there "
                + "with IMAGE_TAG=<tag>"), result.all());
    }

    @ParameterizedTest
    @CsvSource({"'', a", "1, b"})
    void ourImagesAreTheDigestsMakeImagesRecordedForTheirKind(String nativeImages, String expected) throws Exception {
        // make images records JVM and native builds apart; NATIVE=1 picks the native one
        Map<String, String> digests = Map.of("jvm", "sha256:" + "a".repeat(64), "native", "sha256:" + "b".repeat(64));
        List<Path> records = new ArrayList<>();
        for (Map.Entry<String, String> kind : digests.entrySet()) {
            Path record = Kustomize.file("k8s/.deploy/images-" + kind.getKey() + ".env");
            Files.createDirectories(record.getParent());
            Files.writeString(record, """
                    registry=registry.example/team
                    tag=1.0-0123456789ab
                    service-a=%1$s
                    service-b=%1$s
                    peak-dns=%1$s
                    """.formatted(kind.getValue()));
            records.add(record);
        }
        try {
            Command result = deploy(Map.of("REGISTRY", "registry.example/team/", "NATIVE", nativeImages), "render", "peak");
            assertEquals(0, result.exit(), result.all());
            String digest = "@sha256:" + expected.repeat(64);
            assertEquals(List.of("registry.example/team/peak/peak-dns" + digest, "registry.example/team/peak/service-a" + digest,
                    "registry.example/team/peak/service-b" + digest), images(result.out()));
        } finally {
            for (Path record : records) {
                Files.delete(record);
            }
        }
    }

    @Test
    void aTagOfTheUsersReplacesTheRecordedDigestsOnOurImagesOnly() throws Exception {
        Command result = deploy(Map.of("REGISTRY", "registry.example/team/", "IMAGE_TAG", "7.0-native"), "render", "proxy");
        assertEquals(0, result.exit(), result.all());
        assertEquals(List.of("haproxy:2.8", "registry.example/team/peak/service-a:7.0-native",
                "registry.example/team/peak/service-b:7.0-native"), images(result.out()));
    }

    @Test
    void undeployNeedsNeitherIstioNorAKeySetAndPassesWhereNothingIsDeployed(@TempDir Path project, @TempDir Path bin)
            throws Exception {
        // the Makefile and the script alone: no key set, no manifests to render, a cluster without Istio's CRDs
        Files.createDirectories(project.resolve("k8s"));
        Files.copy(Kustomize.projectRoot().resolve("Makefile"), project.resolve("Makefile"));
        Files.copy(Kustomize.projectRoot().resolve("k8s/deploy.sh"), project.resolve("k8s/deploy.sh"));
        assertTrue(project.resolve("k8s/deploy.sh").toFile().setExecutable(true));
        standInKubectl(bin, """
                  get) echo 'error: the server doesn'"'"'t have a resource type "crd"' >&2; exit 1 ;;
                """);
        Command result = Command.run(List.of("make", "-s", "-C", project.toString(), "undeploy"),
                Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertEquals(0, result.exit(), result.all());
        List<String> deletes = calls(bin).stream().filter(c -> !c.startsWith("version") && !c.startsWith("config")).toList();
        assertEquals(List.of("delete namespace peak --ignore-not-found --wait=true",
                "delete namespace peak-proxy --ignore-not-found --wait=true",
                "delete namespace peak-mesh --ignore-not-found --wait=true"), deletes);
        assertFalse(Files.exists(project.resolve("k8s/base/keys")), "undeploy wrote a key set");
    }

    @ParameterizedTest
    @CsvSource({"peak, k8s/overlays/peak", "proxy, k8s/overlays/proxy", "proxy-nginx, k8s/overlays/proxy-nginx",
            "mesh, mesh-variant"})
    void deleteRemovesTheNamespaceTheVariantIsRenderedInto(String variant, String directory, @TempDir Path bin)
            throws Exception {
        standInKubectl(bin, "");
        Command result = deploy(Map.of("PATH", bin + ":" + System.getenv("PATH")), "delete", variant);
        assertEquals(0, result.exit(), result.all());
        assertTrue(calls(bin).contains("delete namespace " + Rendered.of(directory).namespace()
                + " --ignore-not-found --wait=true"), calls(bin).toString());
    }

    @Test
    void applyWarnsBeforeApplyingWhenAdmissionRefusesTheMeshsPods(@TempDir Path bin) throws Exception {
        // a cluster with Istio whose admission enforces baseline on the pods the injector completes with istio-init
        standInKubectl(bin, """
                  create) echo 'Error from server (Forbidden): pods "peak-admission-check" is forbidden: violates \
                PodSecurity "baseline:v1.26": non-default capabilities (container "istio-init" must not include \
                "NET_ADMIN", "NET_RAW" in securityContext.capabilities.add)' >&2; exit 1 ;;
                """);
        Command result = deploy(with(PUSHED, "PATH", bin + ":" + System.getenv("PATH")), "apply", "mesh");
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.err().contains("WARNING: the cluster's admission refuses a server pod in namespace peak-mesh"),
                result.all());
        assertTrue(result.err().contains("container \"istio-init\" must not include \"NET_ADMIN\""), result.all());
        assertTrue(result.err().contains("make install-istio ISTIO_CNI=1, then make deploy-mesh ISTIO_CNI=1"), result.all());
        List<String> calls = calls(bin);
        assertTrue(calls.get(calls.size() - 1).startsWith("apply -f "), "applies anyway: " + calls);
    }

    @Test
    void makeHandsTheSwitchesToTheScripts() throws Exception {
        Command result = Command.run(List.of("make", "-n", "-C", Kustomize.projectRoot().toString(), "deploy-mesh",
                "REGISTRY=r.example", "NATIVE=1", "DUAL_STACK=1", "ISTIO_CNI=1"), Map.of());
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("REGISTRY=\"r.example\" IMAGE_TAG=\"\" NATIVE=\"1\" DUAL_STACK=\"1\" ISTIO_CNI=\"1\" "
                + "k8s/deploy.sh apply mesh"), result.out());
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
    void withIstioCniTheMeshNamespaceEnforcesBaselineAndNoOtherChanges() throws Exception {
        for (String variant : List.of("mesh", "peak")) {
            Command result = deploy(Map.of("ISTIO_CNI", "1"), "render", variant);
            assertEquals(0, result.exit(), result.all());
            Namespace namespace = StrictModels.parse(result.out()).stream().filter(Namespace.class::isInstance)
                    .map(Namespace.class::cast).findFirst().orElseThrow();
            assertEquals(variant.equals("mesh") ? "baseline" : "restricted",
                    namespace.getMetadata().getLabels().get(PodSecurity.ENFORCE), variant);
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

    /**
     * A stand-in kubectl in {@code bin}: a cluster that answers, has Istio's CRDs and admits everything, unless
     * {@code cases} (shell case branches on the subcommand) says otherwise. It logs every call to {@code bin/calls},
     * and renders with the real kubectl, found on the PATH before the stand-in is put first.
     */
    private static Path standInKubectl(Path bin, String cases) throws IOException {
        String real = Command.run(List.of("bash", "-c", "command -v kubectl"), Map.of()).out().strip();
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(kubectl, """
                #!/bin/sh
                echo "$*" >> "$(dirname "$0")/calls"
                case "$1" in
                %s  kustomize) exec %s "$@" ;;
                esac
                exit 0
                """.formatted(cases, real));
        assertTrue(kubectl.toFile().setExecutable(true));
        return bin;
    }

    private static List<String> calls(Path bin) throws IOException {
        return Files.readAllLines(bin.resolve("calls"));
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The images of the rendered Deployments' containers, sorted. */
    private static List<String> images(String rendered) {
        return StrictModels.parse(rendered).stream().filter(Deployment.class::isInstance)
                .map(d -> ((Deployment) d).getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).sorted().toList();
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> all = new HashMap<>(env);
        all.put(name, value);
        return all;
    }
}
