package dev.peak.driver.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestCountsTest {

    @Test
    void countsEveryEndpointButQuarkusOwn() {
        String metrics = """
                # TYPE http_server_requests_seconds summary
                http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/work"} 7.0
                http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="200",uri="/token"} 3.0
                http_server_requests_seconds_count{method="GET",outcome="CLIENT_ERROR",status="400",uri="/work"} 1.0
                http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/q/health/ready"} 40.0
                http_server_requests_seconds_sum{method="GET",outcome="SUCCESS",status="200",uri="/work"} 0.5
                """;
        assertEquals(11, RequestCounts.served(metrics));
    }
}
