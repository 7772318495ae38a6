package dev.peak.driver.variant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class VariantTest {

    @Test
    void variantsAreNamedAsOnTheCommandLine() {
        assertEquals(List.of(Variant.RI1_HAPROXY, Variant.RI2_MESH), List.of(Variant.of(" RI1-HAProxy"), Variant.of("ri2-mesh")));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.of("ri3-peak"));
        assertTrue(e.getMessage().contains("ri1-direct, ri1-peak, ri1-haproxy, ri1-nginx, ri2-peak, ri2-mesh"), e.getMessage());
    }

    @Test
    void peakIsComparedWithItsOwnGroupsCounterpartsOnly() {
        assertEquals(List.of(Variant.RI1_HAPROXY, Variant.RI1_NGINX), Variant.RI1_PEAK.counterparts());
        assertEquals(List.of(Variant.RI2_MESH), Variant.RI2_PEAK.counterparts());
        assertEquals(List.of(), Variant.RI1_HAPROXY.counterparts());
    }

    @Test
    void theBalancerFaultIsTheProxyOrAPeakDnsReplicaAndTheBaselineHasNone() {
        assertEquals(Optional.of(FaultKind.KILL_DNS_REPLICA), Variant.RI2_PEAK.balancerFault());
        assertEquals(Optional.of(FaultKind.KILL_PROXY), Variant.RI1_NGINX.balancerFault());
        assertEquals(Optional.of(FaultKind.KILL_PROXY), Variant.RI2_MESH.balancerFault());
        assertEquals(Optional.empty(), Variant.RI1_DIRECT.balancerFault());
    }

    @Test
    void everyCallOfAnRi2SessionReachesBAndOfAnRi1SessionA() {
        assertEquals("b-", Variant.RI2_MESH.servedBy());
        assertEquals("a-", Variant.RI1_PEAK.servedBy());
    }

    @Test
    void onlyTheLabRunsTheBaselineAndTheMeshIsNamedForWhereItRuns() {
        assertTrue(Variant.RI1_DIRECT.cluster().isEmpty());
        assertEquals("peak-mesh", Variant.RI2_MESH.cluster().orElseThrow().namespace());
        assertEquals("RI2 mesh (sidecar emulation)", Variant.RI2_MESH.label(false));
        assertEquals("RI2 mesh (Istio)", Variant.RI2_MESH.label(true));
    }
}
