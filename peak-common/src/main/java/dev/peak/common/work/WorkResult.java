package dev.peak.common.work;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a work endpoint answers. {@code subject} is set only by service-b's token-protected endpoint,
 * which works on behalf of the token's subject.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkResult(String service, String instance, String subject, int cost, String result) {

    public static WorkResult of(String service, String instance, int cost, String result) {
        return new WorkResult(service, instance, null, cost, result);
    }
}
