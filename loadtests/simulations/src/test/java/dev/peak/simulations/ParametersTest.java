package dev.peak.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.peak.measurement.LevelCommand;

class ParametersTest {

    @Test
    void unsetOptionalPropertiesTakeTheirDefaults() {
        Parameters parameters = Parameters.from(properties("peak.maxRate=12.5"));

        assertEquals(new Parameters(12.5, 10, 100, Duration.ofMillis(5000), Duration.ofSeconds(3600), List.of()), parameters);
    }

    @Test
    void everyPropertyIsRead() {
        Parameters parameters = Parameters.from(properties("peak.maxRate=300", "peak.k=2", "peak.cost=0",
                "peak.timeoutMs=250", "peak.maxDurationS=60", "peak.schedule=level 0 100.0 0 5000;level 1 200.0 1000 4000"));

        assertEquals(new Parameters(300, 2, 0, Duration.ofMillis(250), Duration.ofSeconds(60),
                List.of(new LevelCommand(0, 100, 0, 5000), new LevelCommand(1, 200, 1000, 4000))), parameters);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            peak.k=10                                      | -Dpeak.maxRate is required
            peak.maxRate=fast                              | -Dpeak.maxRate=fast is not a number
            peak.maxRate=1 peak.k=1.5                      | -Dpeak.k=1.5 is not a number
            peak.maxRate=0                                 | must be positive
            peak.maxRate=1 peak.k=0                        | must be positive
            peak.maxRate=1 peak.timeoutMs=-1               | must be positive
            peak.maxRate=1 peak.maxDurationS=0             | must be positive
            peak.maxRate=100 peak.schedule=level_0_50_0      | not a level command
            peak.maxRate=100 peak.schedule=level_0_500_0_1000 | above peak.maxRate
            """)
    void invalidInputsAreRejectedWithTheirName(String settings, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Parameters.from(properties(settings.replace('_', ' ').split(" (?=peak\\.)"))));

        assertEquals(true, e.getMessage().contains(message), e.getMessage());
    }

    private static Properties properties(String... settings) {
        Properties properties = new Properties();
        for (String setting : settings) {
            String[] pair = setting.split("=", 2);
            properties.setProperty(pair[0], pair[1]);
        }
        return properties;
    }
}
