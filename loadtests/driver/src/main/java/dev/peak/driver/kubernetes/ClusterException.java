package dev.peak.driver.kubernetes;

/** The cluster is not as the experiment needs it; the message says what is missing and what to run. */
public class ClusterException extends RuntimeException {

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
