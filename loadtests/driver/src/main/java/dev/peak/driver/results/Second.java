package dev.peak.driver.results;

/** Requests that completed during second {@code t} of a fault run: {@code ok} succeeded, {@code ko} failed. */
public record Second(int t, long ok, long ko) {
}
