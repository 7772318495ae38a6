package dev.peak.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LevelCommandTest {

    @Test
    void aCommandReadsBackFromItsLine() {
        LevelCommand order = new LevelCommand(7, 1234.5, 1000, 4000);
        assertEquals("level 7 1234.5 1000 4000", order.toLine());
        assertEquals(order, LevelCommand.parse(order.toLine()));
        assertEquals(order, LevelCommand.parse("  level   7 1234.5 1000 4000  "));
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "stop                        | not a level command",
            "level 1 100 0               | not a level command",
            "rate 1 100 0 1000           | not a level command",
            "level x 100 0 1000          | not a level command",
            "level 1 fast 0 1000         | not a level command",
            "level -1 100 0 1000         | index is 0 or more",
            "level 1 -5 0 1000           | 0 or more requests/s",
            "level 1 NaN 0 1000          | 0 or more requests/s",
            "level 1 100 -1 1000         | settles for 0 ms or more",
            "level 1 100 0 0             | measures for more than 0 ms"})
    void malformedLinesAreRefusedWithTheReason(String line, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LevelCommand.parse(line));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
