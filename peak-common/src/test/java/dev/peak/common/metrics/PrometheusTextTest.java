package dev.peak.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String METRIC = "peak_http_requests_in_flight";

    @Test
    void plainSampleIsRead() {
        assertEquals(7.0, PrometheusText.sum("# TYPE peak_http_requests_in_flight gauge\npeak_http_requests_in_flight 7.0\n", METRIC));
    }

    @Test
    void samplesOfEveryLabelSetAreSummed() {
        String text = "peak_http_requests_in_flight{method=\"GET\"} 3\npeak_http_requests_in_flight{method=\"POST\",x=\"a b\"} 2.5\n";
        assertEquals(5.5, PrometheusText.sum(text, METRIC));
    }

    @Test
    void metricsWhoseNameOnlyStartsTheSameAreNotCounted() {
        String text = "peak_http_requests_in_flight_max 100\npeak_http_requests_in_flightx 50\npeak_http_requests_in_flight 1\n";
        assertEquals(1.0, PrometheusText.sum(text, METRIC));
    }

    @Test
    void sampleWithTimestampIsRead() {
        assertEquals(4.0, PrometheusText.sum("peak_http_requests_in_flight 4 1700000000000\n", METRIC));
    }

    @Test
    void absentOrMalformedMetricIsNull() {
        assertNull(PrometheusText.sum("other_metric 1\n# peak_http_requests_in_flight 3\n", METRIC));
        assertNull(PrometheusText.sum("peak_http_requests_in_flight many\n", METRIC));
        assertNull(PrometheusText.sum("peak_http_requests_in_flight\n", METRIC));
        assertNull(PrometheusText.sum(null, METRIC));
        assertNull(PrometheusText.sum("", METRIC));
    }

    @Test
    void windowsLineEndingsAreRead() {
        assertEquals(2.0, PrometheusText.sum("peak_http_requests_in_flight 2\r\n", METRIC));
    }
}
