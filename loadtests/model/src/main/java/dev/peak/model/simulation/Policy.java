package dev.peak.model.simulation;

/** peak-dns's selection policies, as peak-dns implements them (one address per answer, its default). */
public enum Policy {
    /** Each answer one server further than the last. */
    ROUND_ROBIN,
    /** A server drawn uniformly among the healthy. */
    RANDOM,
    /** A server drawn in proportion to its weight (its CPUs): the same as random on identical servers. */
    WEIGHTED,
    /**
     * The server with the least estimated load: its in-flight gauge as the last health probe read it, plus every answer
     * given since (so that answers between two readings do not all herd onto one server); ties in random order.
     */
    LEAST_LOADED
}
