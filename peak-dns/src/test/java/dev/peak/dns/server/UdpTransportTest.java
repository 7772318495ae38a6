package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.peak.dns.TestConfigs;
import dev.peak.dns.config.DnsConfig;
import io.vertx.core.Vertx;

class UdpTransportTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A batch past the pool's largest pooled buffer would cost an allocation per read; 0 reads nothing. */
    @ParameterizedTest
    @ValueSource(ints = {0, -1, UdpTransport.MAX_RECEIVE_BATCH + 1})
    void receiveBatchOutsideOneToThirtyTwoStopsStartUpWithTheReason(int batch) {
        DnsConfig config = TestConfigs.dnsConfig("peak.dns.udp.receive-batch", Integer.toString(batch));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UdpTransport(vertx, config.udp(), null));
        assertEquals("peak.dns.udp.receive-batch must be 1 to 32, not " + batch, e.getMessage());
    }
}
