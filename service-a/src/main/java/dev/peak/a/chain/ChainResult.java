package dev.peak.a.chain;

import java.util.Map;

import dev.peak.common.work.WorkResult;

/** {@code {"a":{…},"b":{…}}}: A's own result and B's answer as B sent it. */
public record ChainResult(WorkResult a, Map<String, Object> b) {
}
