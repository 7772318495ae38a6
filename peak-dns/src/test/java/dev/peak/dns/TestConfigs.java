package dev.peak.dns;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.peak.dns.config.DnsConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A real {@link DnsConfig} for unit tests: the mapping's own defaults plus the given properties. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static DnsConfig dnsConfig(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(DnsConfig.class)
                // Quarkus reads "2s" and "500ms"; plain SmallRye only ISO-8601
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(DnsConfig.class);
    }
}
