package dev.peak.common.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.peak.common.error.ApiException;

class WorkFunctionTest {

    private static final byte[] ABC = "abc".getBytes(StandardCharsets.UTF_8);

    @Test
    void oneRoundIsPlainSha256() {
        // FIPS 180-2 test vector for SHA-256("abc")
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", WorkFunction.run(ABC, 1));
    }

    @Test
    void roundsChainOverThePreviousDigest() {
        byte[] once = HexFormat.of().parseHex(WorkFunction.run(ABC, 1));
        assertEquals(WorkFunction.run(once, 1), WorkFunction.run(ABC, 2));
    }

    @Test
    void costZeroReturnsTheSeedItself() {
        assertEquals("616263", WorkFunction.run(ABC, 0));
    }

    @Test
    void maximumCostIsAccepted() {
        assertEquals(64, WorkFunction.run(ABC, WorkFunction.MAX_COST).length());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"NULL,0", "'',0", "0,0", "7,7", "' 12 ',12", "100000,100000"})
    void parseCostAcceptsIntegersInRange(String raw, int expected) {
        assertEquals(expected, WorkFunction.parseCost(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "100001", "abc", "1.5", "1e3", "99999999999999999999", "0x10"})
    void parseCostRejectsEverythingElseAsBadRequest(String raw) {
        ApiException e = assertThrows(ApiException.class, () -> WorkFunction.parseCost(raw));
        assertEquals(400, e.status());
        assertEquals("invalid_cost", e.code());
    }

    @Test
    void seedDefaultsAndIsBounded() {
        assertEquals("peak", new String(WorkFunction.parseSeed(null), StandardCharsets.UTF_8));
        assertEquals(256, WorkFunction.parseSeed("x".repeat(256)).length);
        ApiException e = assertThrows(ApiException.class, () -> WorkFunction.parseSeed("x".repeat(257)));
        assertEquals("invalid_seed", e.code());
    }

    @Test
    void runRejectsCostOutsideTheRange() {
        assertThrows(ApiException.class, () -> WorkFunction.run(ABC, -1));
        assertThrows(ApiException.class, () -> WorkFunction.run(ABC, WorkFunction.MAX_COST + 1));
    }
}
