package dev.peak.dns.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec.EndpointSpec;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;
import dev.peak.dns.zone.ServiceSpec;

/**
 * Reads the static discovery file (docs/architecture.md: The static discovery file). Every mistake is reported with
 * where it is, and a file
 * with any mistake is rejected whole, so a half-read file never reaches the answers. The registry's settings of a
 * service ({@link #settings}) are one service of the file without its endpoints, read by the same code.
 *
 * <pre>
 * zone: peak.test.        # optional; must match peak.dns.zone
 * ttl: 5                  # default answer TTL of the file's services
 * services:
 *   a:
 *     policy: round-robin # round-robin | random | weighted | least-loaded
 *     answer-size: 1
 *     ttl: 5
 *     port: 8080
 *     health: {path: /q/health/ready, interval: 2s, timeout: 1s, rise: 2, fall: 2}
 *     endpoints: ["fd00:70ea::a:1", {address: "fd00:70ea::a:2", weight: 3}]
 * </pre>
 */
public final class StaticFileParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");
    private static final Set<String> TOP_KEYS = Set.of("zone", "ttl", "services");
    /** A service's keys in the file but its endpoints: what a registration may set. */
    private static final Set<String> SETTINGS_KEYS = Set.of("policy", "answer-size", "ttl", "port", "health");
    private static final Set<String> SERVICE_KEYS = Stream.concat(SETTINGS_KEYS.stream(), Stream.of("endpoints"))
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> HEALTH_KEYS = Set.of("path", "interval", "timeout", "rise", "fall");
    private static final Duration MAX_DURATION = Duration.ofDays(1);
    static final int MAX_ANSWER_SIZE = 16;
    static final int DEFAULT_PORT = 8080;

    private final String zone;
    private final long defaultTtl;
    private final HealthSpec defaultHealth;

    public StaticFileParser(DnsConfig config) {
        this(config.zone(), config.ttl(), HealthSpec.defaults(config.health()));
    }

    StaticFileParser(String zone, long defaultTtl, HealthSpec defaultHealth) {
        this.zone = zone.endsWith(".") ? zone.toLowerCase(Locale.ROOT) : zone.toLowerCase(Locale.ROOT) + ".";
        this.defaultTtl = defaultTtl;
        this.defaultHealth = defaultHealth;
    }

    /** The services of the file, or IllegalArgumentException naming the first mistake. */
    public Map<String, ServiceSpec> parse(String yaml) {
        JsonNode root = read(yaml, "not valid YAML");
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException("the file is empty");
        }
        requireObject(root, "the file");
        checkKeys(root, TOP_KEYS, "the file");
        if (root.has("zone")) {
            String fileZone = text(root.get("zone"), "zone").toLowerCase(Locale.ROOT);
            if (!(fileZone.endsWith(".") ? fileZone : fileZone + ".").equals(zone)) {
                throw new IllegalArgumentException("zone: the file is for '" + fileZone + "' but peak-dns serves '" + zone + "'");
            }
        }
        long ttl = root.has("ttl") ? ttl(root.get("ttl"), "ttl") : defaultTtl;
        JsonNode services = root.get("services");
        if (services == null || services.isNull()) {
            return Map.of();
        }
        requireObject(services, "services");
        Map<String, ServiceSpec> specs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String problem = ServiceSpec.nameProblem(name);
            if (problem != null) {
                throw new IllegalArgumentException("services." + name + ": " + problem);
            }
            String where = "services." + name;
            JsonNode node = entry.getValue().isNull() ? YAML.createObjectNode() : entry.getValue();
            requireObject(node, where);
            checkKeys(node, SERVICE_KEYS, where);
            specs.put(name, service(name, node, ttl, where));
        }
        return specs;
    }

    /**
     * The settings of one service as a registration gives them (JSON, or YAML): a mapping with the keys of a
     * service of the file but {@code endpoints}, the same defaults (the file-wide TTL being {@code peak.dns.ttl})
     * and ranges; the spec has no endpoints. IllegalArgumentException names the first mistake, as
     * "{@code settings.<key>: <why>}".
     */
    public ServiceSpec settings(String name, String text) {
        JsonNode node = read(text, "settings: not valid JSON");
        requireObject(node == null ? YAML.nullNode() : node, "settings");
        checkKeys(node, SETTINGS_KEYS, "settings");
        return service(name, node, defaultTtl, "settings");
    }

    /** The document, or null when it holds none; {@code invalid} begins the message of a syntax error. */
    private static JsonNode read(String text, String invalid) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(invalid + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(invalid + ": " + e.getMessage());
        }
    }

    private ServiceSpec service(String name, JsonNode node, long fileTtl, String where) {
        PolicyName policy = PolicyName.DEFAULT;
        if (node.has("policy")) {
            String named = text(node.get("policy"), where + ".policy");
            try {
                policy = PolicyName.of(named);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".policy: " + e.getMessage());
            }
        }
        int answerSize = node.has("answer-size") ? integer(node.get("answer-size"), where + ".answer-size", 1, MAX_ANSWER_SIZE) : 1;
        long ttl = node.has("ttl") ? ttl(node.get("ttl"), where + ".ttl") : fileTtl;
        int port = node.has("port") ? integer(node.get("port"), where + ".port", 1, 65_535) : DEFAULT_PORT;
        HealthSpec health = node.has("health") ? health(node.get("health"), where + ".health") : defaultHealth;
        List<EndpointSpec> endpoints = new ArrayList<>();
        JsonNode list = node.get("endpoints");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException(where + ".endpoints: must be a list of addresses");
            }
            for (int i = 0; i < list.size(); i++) {
                EndpointSpec endpoint = endpoint(list.get(i), where + ".endpoints[" + i + "]");
                if (endpoints.stream().anyMatch(e -> e.address().equals(endpoint.address()))) {
                    throw new IllegalArgumentException(where + ".endpoints[" + i + "]: " + endpoint.address().getHostAddress() + " is listed twice");
                }
                endpoints.add(endpoint);
            }
        }
        return new ServiceSpec(name, policy, answerSize, ttl, port, health, List.copyOf(endpoints));
    }

    private EndpointSpec endpoint(JsonNode node, String where) {
        if (node.isTextual()) {
            return new EndpointSpec(address(node.asText(), where), 1);
        }
        requireObject(node, where);
        checkKeys(node, Set.of("address", "weight"), where);
        if (!node.has("address")) {
            throw new IllegalArgumentException(where + ": needs an address");
        }
        int weight = node.has("weight") ? integer(node.get("weight"), where + ".weight", 0, 1000) : 1;
        return new EndpointSpec(address(text(node.get("address"), where + ".address"), where), weight);
    }

    private HealthSpec health(JsonNode node, String where) {
        requireObject(node, where);
        checkKeys(node, HEALTH_KEYS, where);
        String path = node.has("path") ? text(node.get("path"), where + ".path") : defaultHealth.path();
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(where + ".path: must start with '/'");
        }
        Duration interval = node.has("interval") ? duration(node.get("interval"), where + ".interval") : defaultHealth.interval();
        Duration timeout = node.has("timeout") ? duration(node.get("timeout"), where + ".timeout") : defaultHealth.timeout();
        if (!interval.isZero() && timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException(where + ".timeout: must not exceed the interval (" + interval + ")");
        }
        int rise = node.has("rise") ? integer(node.get("rise"), where + ".rise", 1, 100) : defaultHealth.rise();
        int fall = node.has("fall") ? integer(node.get("fall"), where + ".fall", 1, 100) : defaultHealth.fall();
        return new HealthSpec(path, interval, timeout, rise, fall);
    }

    private static InetAddress address(String text, String where) {
        try {
            return IpLiterals.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static long ttl(JsonNode node, String where) {
        return integer(node, where, 0, 86_400);
    }

    private static int integer(JsonNode node, String where, int min, int max) {
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min || node.asInt() > max) {
            throw new IllegalArgumentException(where + ": must be an integer from " + min + " to " + max + ", got " + node);
        }
        return node.asInt();
    }

    private static Duration duration(JsonNode node, String where) {
        return (node.isContainerNode() ? Optional.<Duration>empty() : parseDuration(node.asText())).orElseThrow(() ->
                new IllegalArgumentException(where + ": must be a duration such as 500ms, 2s or 1m, at most 1 day, got " + node));
    }

    /** The durations of the file and of annotations: 500ms, 2s, 1m; a bare number is seconds. */
    static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        long amount = Long.parseLong(m.group(1)); // at most 9 digits: no overflow here
        Duration duration = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
        // The health checker counts in nanoseconds: a longer duration would overflow there.
        return duration.compareTo(MAX_DURATION) > 0 ? Optional.empty() : Optional.of(duration);
    }

    private static String text(JsonNode node, String where) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": must be a non-empty string, got " + node);
        }
        return node.asText().strip();
    }

    private static void requireObject(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a mapping, got " + node.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: " + allowed.stream().sorted().toList() + ")");
            }
        }
    }
}
