package dev.peak.dns.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec.EndpointSpec;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;
import dev.peak.dns.zone.ServiceSpec;

/**
 * The static file's grammar as a table (CoreDNS TestSetup style): each row is a file and either null
 * (it must load) or a fragment of the error that must reject it, which names where the mistake is.
 */
class StaticFileParserTest {

    private static final HealthSpec DEFAULT_HEALTH = new HealthSpec("/q/health/ready", Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 2);
    private static final String A = "services:\n  a:\n";

    private final StaticFileParser parser = new StaticFileParser("peak.test.", 5, DEFAULT_HEALTH);

    static Stream<Arguments> rows() {
        return Stream.of(
                // valid
                row("minimal", A + "    endpoints: [\"fd00:70ea::a:1\"]\n", null),
                row("no services", "zone: peak.test.\n", null),
                row("services empty", "services:\n", null),
                row("service without endpoints", A + "    policy: random\n", null),
                row("zone without the final dot, any case", "zone: PEAK.test\n" + A + "    endpoints: [\"::1\"]\n", null),
                row("every key", "zone: peak.test.\nttl: 30\nservices:\n  web-2:\n    policy: least-loaded\n    answer-size: 16\n"
                        + "    ttl: 0\n    port: 65535\n    health: {path: /ready, interval: 500ms, timeout: 500ms, rise: 1, fall: 100}\n"
                        + "    endpoints: [\"fd00::1\", {address: \"10.0.0.1\", weight: 0}, {address: \"[fd00::2]\", weight: 1000}]\n", null),
                row("durations in ms, s, m and bare seconds", A + "    health: {interval: 1m, timeout: 30}\n", null),
                row("a day is the longest duration", A + "    health: {interval: 1440m, timeout: 86400s}\n", null),
                row("health off allows any timeout", A + "    health: {interval: 0, timeout: 5s}\n", null),
                // unknown keys
                row("unknown top-level key", "zones: peak.test.\n", "the file: unknown key 'zones'"),
                row("unknown service key", A + "    polcy: random\n", "services.a: unknown key 'polcy'"),
                row("unknown health key", A + "    health: {intervall: 1s}\n", "services.a.health: unknown key 'intervall'"),
                row("unknown endpoint key", A + "    endpoints: [{address: \"::1\", wieght: 2}]\n", "services.a.endpoints[0]: unknown key 'wieght'"),
                // names
                row("upper-case label", "services:\n  Web:\n    policy: random\n", "services.Web: a service name must be one DNS label"),
                row("label with a dot", "services:\n  a.b:\n    policy: random\n", "services.a.b: a service name must be one DNS label"),
                row("label starting with a hyphen", "services:\n  -a:\n    policy: random\n", "services.-a: a service name must be one DNS label"),
                row("the name server's name", "services:\n  ns:\n    policy: random\n",
                        "services.ns: 'ns' is the zone's name server (ns.<zone>, the target of its NS record)"),
                row("label of 64 characters", "services:\n  " + "x".repeat(64) + ":\n    policy: random\n", "a service name must be one DNS label"),
                // values
                row("bad policy", A + "    policy: fastest\n", "services.a.policy: 'fastest' is not one of"),
                row("answer-size 0", A + "    answer-size: 0\n", "services.a.answer-size: must be an integer from 1 to 16, got 0"),
                row("answer-size 17", A + "    answer-size: 17\n", "services.a.answer-size: must be an integer from 1 to 16, got 17"),
                row("answer-size as text", A + "    answer-size: \"2\"\n", "services.a.answer-size: must be an integer"),
                row("file ttl -1", "ttl: -1\n", "ttl: must be an integer from 0 to 86400, got -1"),
                row("service ttl -1", A + "    ttl: -1\n", "services.a.ttl: must be an integer from 0 to 86400, got -1"),
                row("ttl with a unit", A + "    ttl: 5s\n", "services.a.ttl: must be an integer"),
                row("ttl not whole", A + "    ttl: 2.5\n", "services.a.ttl: must be an integer"),
                row("port 0", A + "    port: 0\n", "services.a.port: must be an integer from 1 to 65535, got 0"),
                row("port 65536", A + "    port: 65536\n", "services.a.port: must be an integer from 1 to 65535, got 65536"),
                // endpoints
                row("duplicate endpoint", A + "    endpoints: [\"fd00:70ea::a:1\", \"fd00:70ea::a:1\"]\n", "services.a.endpoints[1]: "),
                row("duplicate endpoint spelled differently", A + "    endpoints: [\"fd00:70ea::a:1\", \"FD00:70EA:0:0::A:1\"]\n", "is listed twice"),
                row("host name instead of an IP", A + "    endpoints: [\"localhost\"]\n", "services.a.endpoints[0]: 'localhost' is not an IPv6 or IPv4 address"),
                row("dotted host name instead of an IP", A + "    endpoints: [\"a.example.com\"]\n", "'a.example.com' is not an IPv6 or IPv4 address"),
                row("IPv4 octet above 255", A + "    endpoints: [\"10.0.0.256\"]\n", "'10.0.0.256' is not an IPv6 or IPv4 address"),
                row("IPv6 with a zone", A + "    endpoints: [\"fe80::1%eth0\"]\n", "is not an IPv6 or IPv4 address"),
                row("endpoints not a list", A + "    endpoints: \"fd00::1\"\n", "services.a.endpoints: must be a list of addresses"),
                row("endpoint without an address", A + "    endpoints: [{weight: 2}]\n", "services.a.endpoints[0]: needs an address"),
                row("weight above 1000", A + "    endpoints: [{address: \"::1\", weight: 1001}]\n", "services.a.endpoints[0].weight: must be an integer from 0 to 1000"),
                row("negative weight", A + "    endpoints: [{address: \"::1\", weight: -1}]\n", "must be an integer from 0 to 1000"),
                // zone
                row("zone mismatch", "zone: other.test.\n", "zone: the file is for 'other.test.' but peak-dns serves 'peak.test.'"),
                row("parent zone", "zone: test.\n", "zone: the file is for 'test.'"),
                // health
                row("duration in words", A + "    health: {interval: 2 hours}\n", "services.a.health.interval: must be a duration such as 500ms, 2s or 1m"),
                row("fractional duration", A + "    health: {interval: 1.5s}\n", "services.a.health.interval: must be a duration"),
                row("negative duration", A + "    health: {timeout: -1s}\n", "services.a.health.timeout: must be a duration"),
                row("duration in hours", A + "    health: {interval: 1h}\n", "services.a.health.interval: must be a duration"),
                row("duration too long to count in nanoseconds", A + "    health: {interval: 99999999999999999999ms}\n",
                        "services.a.health.interval: must be a duration"),
                row("duration overflowing in minutes", A + "    health: {interval: 999999999999999m}\n",
                        "services.a.health.interval: must be a duration"),
                row("duration above a day", A + "    health: {interval: 1441m}\n", "services.a.health.interval: must be a duration"),
                row("timeout above interval", A + "    health: {interval: 1s, timeout: 2s}\n", "services.a.health.timeout: must not exceed the interval"),
                row("timeout above the default interval", A + "    health: {timeout: 3s}\n", "services.a.health.timeout: must not exceed the interval"),
                row("rise 0", A + "    health: {rise: 0}\n", "services.a.health.rise: must be an integer from 1 to 100"),
                row("fall 101", A + "    health: {fall: 101}\n", "services.a.health.fall: must be an integer from 1 to 100"),
                row("relative health path", A + "    health: {path: q/health}\n", "services.a.health.path: must start with '/'"),
                // shape
                row("empty file", "", "the file is empty"),
                row("only comments", "# nothing here\n", "the file is empty"),
                row("not YAML", "services: [a, b\n", "not valid YAML"),
                row("tabs for indentation", "services:\n\ta: {}\n", "not valid YAML"),
                row("a list, not a mapping", "- a\n- b\n", "the file: must be a mapping, got array"),
                row("plain text", "hello\n", "the file: must be a mapping"),
                row("services as a list", "services: [a, b]\n", "services: must be a mapping"),
                row("service as a string", "services:\n  a: fast\n", "services.a: must be a mapping"),
                row("health as a string", A + "    health: off\n", "services.a.health: must be a mapping"));
    }

    private static Arguments row(String name, String yaml, String error) {
        return Arguments.of(name, yaml, error);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void staticFileIsAcceptedOrRejectedWithWhereTheMistakeIs(String name, String yaml, String error) {
        if (error == null) {
            parser.parse(yaml); // must not throw
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parser.parse(yaml),
                () -> name + " must be rejected");
        assertTrue(e.getMessage().contains(error), () -> name + ": expected '" + error + "' in: " + e.getMessage());
    }

    @Test
    void minimalServiceGetsTheDefaults() {
        ServiceSpec a = parser.parse(A + "    endpoints: [\"fd00:70ea::a:1\"]\n").get("a");
        assertEquals(PolicyName.ROUND_ROBIN, a.policy());
        assertEquals(1, a.answerSize());
        assertEquals(5, a.ttl());
        assertEquals(8080, a.port());
        assertEquals(DEFAULT_HEALTH, a.health());
        assertEquals(List.of(new EndpointSpec(address("fd00:70ea::a:1"), 1)), a.endpoints());
    }

    @Test
    void everyKeyIsRead() {
        Map<String, ServiceSpec> specs = parser.parse("ttl: 30\nservices:\n  web:\n    policy: weighted\n    answer-size: 3\n"
                + "    port: 9000\n    health: {path: /ready, interval: 500ms, timeout: 400ms, rise: 3, fall: 4}\n"
                + "    endpoints: [\"fd00::1\", {address: \"10.0.0.1\", weight: 7}]\n  b:\n    ttl: 0\n    health: {interval: 1m}\n");
        ServiceSpec web = specs.get("web");
        assertEquals(new ServiceSpec("web", PolicyName.WEIGHTED, 3, 30, 9000,
                new HealthSpec("/ready", Duration.ofMillis(500), Duration.ofMillis(400), 3, 4),
                List.of(new EndpointSpec(address("fd00::1"), 1), new EndpointSpec(address("10.0.0.1"), 7))), web);
        assertEquals(0, specs.get("b").ttl(), "the service's TTL beats the file's");
        assertEquals(new HealthSpec("/q/health/ready", Duration.ofMinutes(1), Duration.ofSeconds(1), 2, 2), specs.get("b").health(),
                "unset health keys keep the defaults");
    }

    @Test
    void registrationSettingsAreAServiceOfTheFileWithoutEndpoints() {
        String settings = "{\"policy\": \"weighted\", \"answer-size\": 3, \"port\": 9000, \"health\": {\"path\": \"/ready\", \"interval\": \"2s\"}}";
        assertEquals(parser.parse("services:\n  web: " + settings + "\n").get("web"), parser.settings("web", settings));
        assertEquals(parser.parse(A).get("a"), parser.settings("a", "{}"), "the same defaults");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parser.settings("a", "{\"endpoints\": [\"::1\"]}"));
        assertTrue(e.getMessage().startsWith("settings: unknown key 'endpoints'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parser.settings("a", "{\"port\": 0}"));
        assertEquals("settings.port: must be an integer from 1 to 65535, got 0", e.getMessage());
    }

    @Test
    void sampleZoneFileLoads() throws IOException {
        Map<String, ServiceSpec> specs = parser.parse(Files.readString(Path.of("sample/services.yaml")));
        assertEquals(List.of("a", "b"), List.copyOf(specs.keySet()));
        specs.values().forEach(s -> assertTrue(s.health().interval().isZero(),
                "the sample's addresses are lab addresses: probing them from the host would leave the machine"));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
