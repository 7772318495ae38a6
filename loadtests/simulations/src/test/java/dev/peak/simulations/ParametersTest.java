package dev.peak.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParametersTest {

    @Test
    void unsetOptionalPropertiesTakeTheirDefaults() {
        Parameters parameters = Parameters.from(properties("peak.rate=12.5", "peak.duration=10", "peak.out=/tmp/x.json"));

        assertEquals(new Parameters(12.5, 10, 10, 100, Duration.ofMillis(5000), "/tmp/x.json", Duration.ZERO), parameters);
    }

    @Test
    void everyPropertyIsRead() {
        Parameters parameters = Parameters.from(properties("peak.rate=3", "peak.duration=7", "peak.k=2", "peak.cost=0",
                "peak.timeoutMs=250", "peak.out=out.json"));

        assertEquals(new Parameters(3, 7, 2, 0, Duration.ofMillis(250), "out.json", Duration.ZERO), parameters);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            peak.duration=10 peak.out=o                  | -Dpeak.rate is required
            peak.rate=1 peak.out=o                       | -Dpeak.duration is required
            peak.rate=1 peak.duration=10                 | -Dpeak.out is required
            peak.rate=fast peak.duration=10 peak.out=o   | -Dpeak.rate=fast is not a number
            peak.rate=1 peak.duration=1.5 peak.out=o     | -Dpeak.duration=1.5 is not a number
            peak.rate=0 peak.duration=10 peak.out=o      | must be positive
            peak.rate=1 peak.duration=10 peak.k=0 peak.out=o | must be positive
            peak.rate=1 peak.duration=10 peak.timeoutMs=-1 peak.out=o | must be positive
            """)
    void invalidInputsAreRejectedWithTheirName(String settings, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Parameters.from(properties(settings.split(" "))));

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
