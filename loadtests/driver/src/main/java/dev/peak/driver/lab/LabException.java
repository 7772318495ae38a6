package dev.peak.driver.lab;

/** The lab cannot do what was asked; the message says what went wrong and, where it can, what to do. */
public class LabException extends RuntimeException {

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
