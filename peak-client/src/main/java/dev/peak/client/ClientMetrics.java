package dev.peak.client;

/**
 * What the client counts. {@link #NONE} by default; {@link MicrometerClientMetrics} when the application has
 * Micrometer. An implementation must be cheap and thread-safe: it is called on every request's path.
 */
public interface ClientMetrics {

    /** Counts nothing. */
    ClientMetrics NONE = new ClientMetrics() {
    };

    /** A name was looked up: from the cache, or by a query ({@code fromCache} false), which failed or not. */
    default void resolved(boolean fromCache, boolean failed) {
    }

    /** A request left an address for another one: {@code reason} is {@code connect}, {@code shed} or {@code io}. */
    default void failover(String reason) {
    }

    /** A new token was fetched: {@code reason} is {@code first}, {@code expiry}, {@code rejected} or {@code failed} (the last fetch failed). */
    default void tokenFetched(String reason) {
    }
}
