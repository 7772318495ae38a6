package dev.peak.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** mesh-variant/istio, behind make install-istio: the IstioOperator files and the istioctl call install.sh makes of them. */
class IstioInstallTest {

    private static final List<String> OPERATOR_FILES = List.of("install.yaml", "dual-stack.yaml", "cni.yaml");

    @Test
    void theGatewayServiceIsSetInValuesAndNeverPatchedThroughK8sService() throws IOException {
        JsonNode gateway = operator("install.yaml").path("spec").path("values").path("gateways").path("istio-ingressgateway");
        assertEquals("LoadBalancer", gateway.path("type").asText());
        assertEquals("Local", gateway.path("externalTrafficPolicy").asText(), "client addresses reach the gateway");
        assertEquals("SingleStack", gateway.path("ipFamilyPolicy").asText());
        assertEquals(List.of("IPv6"), strings(gateway.path("ipFamilies")));
        for (String file : OPERATOR_FILES) {
            for (JsonNode each : operator(file).path("spec").path("components").path("ingressGateways")) {
                // istioctl applies k8s.service as a patch after rendering the chart: it would override the values
                assertTrue(each.path("k8s").path("service").isMissingNode(),
                        file + ": k8s.service of " + each.path("name").asText() + " overrides values.gateways");
            }
        }
    }

    @Test
    void dualStackSetsWhatIstiosDualStackGuideSetsOnTheSameOperator() throws IOException {
        JsonNode dual = operator("dual-stack.yaml");
        JsonNode spec = dual.path("spec");
        assertEquals("true", spec.path("meshConfig").path("defaultConfig").path("proxyMetadata").path("ISTIO_DUAL_STACK").asText());
        assertEquals("true", spec.path("values").path("pilot").path("env").path("ISTIO_DUAL_STACK").asText());
        JsonNode gateway = spec.path("values").path("gateways").path("istio-ingressgateway");
        assertEquals("RequireDualStack", gateway.path("ipFamilyPolicy").asText());
        assertEquals(List.of("IPv6", "IPv4"), strings(gateway.path("ipFamilies")));
        // istioctl overlays the files into one IstioOperator: another name would be another installation
        JsonNode install = operator("install.yaml");
        assertEquals(install.path("metadata").path("name"), dual.path("metadata").path("name"));
        assertEquals(install.path("metadata").path("namespace"), dual.path("metadata").path("namespace"));
    }

    @Test
    void cniEnablesTheCniComponent() throws IOException {
        assertTrue(operator("cni.yaml").path("spec").path("components").path("cni").path("enabled").asBoolean(false));
    }

    @Test
    void withoutSwitchesOnlyInstallYamlIsInstalledAndKubectlIsNotCalled(@TempDir Path bin) throws IOException {
        Command result = install(bin, Map.of("DUAL_STACK", "", "ISTIO_CNI", ""));
        assertEquals(0, result.exit(), result.all());
        assertEquals(List.of("istioctl install -f " + dir().resolve("install.yaml") + " -y"), Files.readAllLines(bin.resolve("calls")));
    }

    @Test
    void dualStackAndCniLayerTheirFilesAfterIstioSystemAllowsPrivilegedPods(@TempDir Path bin) throws IOException {
        Command result = install(bin, Map.of("DUAL_STACK", "1", "ISTIO_CNI", "1"));
        assertEquals(0, result.exit(), result.all());
        Path dir = dir();
        // one calls file for both tools: the CNI agent's namespace must be labelled before istioctl creates the agent
        assertEquals(List.of(
                "kubectl create namespace istio-system --dry-run=client -o yaml",
                "kubectl apply -f -",
                "kubectl label --overwrite namespace istio-system pod-security.kubernetes.io/enforce=privileged",
                "istioctl install -f " + dir.resolve("install.yaml") + " -f " + dir.resolve("dual-stack.yaml")
                        + " -f " + dir.resolve("cni.yaml") + " -y"),
                Files.readAllLines(bin.resolve("calls")));
    }

    /** Runs the copy's install.sh with stand-in istioctl and kubectl first on the PATH, both logging to {@code bin/calls}. */
    private static Command install(Path bin, Map<String, String> env) throws IOException {
        standIn(bin.resolve("istioctl"), """
                #!/bin/sh
                echo "istioctl $*" >> "$(dirname "$0")/calls"
                """);
        standIn(bin.resolve("kubectl"), """
                #!/bin/sh
                echo "kubectl $*" >> "$(dirname "$0")/calls"
                case "$1" in
                  create) printf 'apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: istio-system\\n' ;;
                  apply) cat > /dev/null ;;
                esac
                """);
        Map<String, String> all = new HashMap<>(env);
        all.put("PATH", bin + ":" + System.getenv("PATH"));
        return Command.run(List.of("bash", Kustomize.file("mesh-variant/istio/install.sh").toString()), all);
    }

    private static void standIn(Path script, String text) throws IOException {
        Files.writeString(script, text);
        assertTrue(script.toFile().setExecutable(true));
    }

    /** The directory install.sh names its files by: its own, as {@code pwd} resolves it. */
    private static Path dir() throws IOException {
        return Kustomize.file("mesh-variant/istio").toRealPath();
    }

    private static JsonNode operator(String file) throws IOException {
        JsonNode operator = new ObjectMapper(new YAMLFactory()).readTree(Kustomize.file("mesh-variant/istio/" + file).toFile());
        assertEquals("IstioOperator", operator.path("kind").asText(), file);
        return operator;
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(node -> strings.add(node.asText()));
        return strings;
    }
}
