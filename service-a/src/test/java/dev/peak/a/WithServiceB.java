package dev.peak.a;

import java.util.List;

import dev.peak.a.chain.ServiceBProcess;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The usual test setup: service-a with a fresh key set and a real service-b to chain to. */
public class WithServiceB implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ServiceBProcess.class));
    }
}
