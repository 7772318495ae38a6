package dev.peak.common.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the client should see as {@code {"error":code,"message":...}} with the given HTTP status.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    /** A header the response carries too, e.g. {@code WWW-Authenticate} on a 401 or {@code Retry-After} on a 429. */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
