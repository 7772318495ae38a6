package dev.peak.driver.variant;

import java.util.Arrays;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An enum constant known by the name the command line and results.json use for it, e.g. {@code kill-server}: Jackson
 * writes and reads the constant as that name.
 */
public interface Named {

    @JsonValue
    String id();

    /** The constant of {@code type} named {@code id}; the error names {@code what} was asked and the valid names. */
    static <E extends Enum<E> & Named> E byId(Class<E> type, String id, String what) {
        E[] constants = type.getEnumConstants();
        return Arrays.stream(constants).filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(what + " must be one of " + Arrays.stream(constants)
                        .map(Named::id).collect(Collectors.joining(", ")) + ", not " + id));
    }
}
