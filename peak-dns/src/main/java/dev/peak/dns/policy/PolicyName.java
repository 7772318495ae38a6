package dev.peak.dns.policy;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonValue;

/** The selection policies a service may name in any discovery source, by the names the configuration uses. */
public enum PolicyName {
    ROUND_ROBIN("round-robin", RoundRobinPolicy::new),
    RANDOM("random", RandomPolicy::new),
    WEIGHTED("weighted", WeightedPolicy::new),
    LEAST_LOADED("least-loaded", LeastLoadedPolicy::new);

    /** What a service gets when its source names none. */
    public static final PolicyName DEFAULT = ROUND_ROBIN;

    private final String id;
    private final Supplier<SelectionPolicy> create;

    PolicyName(String id, Supplier<SelectionPolicy> create) {
        this.id = id;
        this.create = create;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** A new instance for one service: round-robin keeps a cursor per service. */
    public SelectionPolicy create() {
        return create.get();
    }

    /** The policy named {@code id}; the error lists the valid names. */
    public static PolicyName of(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + id + "' is not one of " + ids()));
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(PolicyName::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
