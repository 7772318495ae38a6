package dev.peak.driver.experiment;

/** A command run on this machine failed or could not start; the message carries its output. */
public class CommandException extends RuntimeException {

    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
