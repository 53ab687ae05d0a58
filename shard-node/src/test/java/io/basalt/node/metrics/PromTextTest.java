package io.basalt.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict parser the metrics tests rely on refuses what Prometheus would refuse or misread. */
class PromTextTest {
    private static final String HISTOGRAM = """
        # HELP h_seconds A histogram.
        # TYPE h_seconds histogram
        h_seconds_bucket{a="x",le="0.1"} 1
        h_seconds_bucket{a="x",le="1.0"} 3
        h_seconds_bucket{a="x",le="+Inf"} 4
        h_seconds_count{a="x"} 4
        h_seconds_sum{a="x"} 2.5
        """;

    @Test
    void readsFamiliesSamplesLabelsAndEscapes() {
        final Map<String, PromText.Family> scrape = PromText.parse(HISTOGRAM
            + "# HELP c_total A counter.\n# TYPE c_total counter\nc_total{path=\"a\\\"b\\\\n\\n\"} 2.0\n");
        assertEquals(4L, scrape.get("h_seconds").buckets(Map.of("a", "x")).get(Double.POSITIVE_INFINITY));
        assertEquals(2.5, scrape.get("h_seconds").value("h_seconds_sum", Map.of()));
        assertEquals(2.0, scrape.get("c_total").value("c_total", Map.of("path", "a\"b\\n\n")));
    }

    @Test
    void refusesBrokenHistograms() {
        assertThrows(AssertionError.class, () -> PromText.parse(HISTOGRAM.replace("le=\"1.0\"} 3", "le=\"1.0\"} 0")),
            "buckets not cumulative");
        assertThrows(AssertionError.class, () -> PromText.parse(HISTOGRAM.replace("_count{a=\"x\"} 4", "_count{a=\"x\"} 5")),
            "+Inf differs from _count");
        assertThrows(AssertionError.class, () -> PromText.parse(HISTOGRAM.replace("h_seconds_bucket{a=\"x\",le=\"+Inf\"} 4\n", "")),
            "no +Inf bucket");
    }

    @Test
    void refusesMalformedOrMisplacedLines() {
        assertThrows(AssertionError.class, () -> PromText.parse("x 1\n"), "sample without TYPE");
        assertThrows(AssertionError.class, () -> PromText.parse("# HELP g G.\n# TYPE g gauge\ng 1\ng 2\n"), "series twice");
        assertThrows(AssertionError.class, () -> PromText.parse("# HELP g G.\n# TYPE g gauge\ng{a=b} 1\n"), "unquoted label");
        assertThrows(AssertionError.class, () -> PromText.parse("# HELP g G.\n# TYPE g gauge\ng one\n"), "not a number");
        assertThrows(AssertionError.class, () -> PromText.parse("# HELP g G.\n# TYPE g gauge\ng_total 1\n"),
            "a name outside its family");
        assertThrows(AssertionError.class, () -> PromText.parse("# TYPE g gauge\ng 1\n"), "no HELP");
        assertThrows(AssertionError.class, () -> PromText.parse("# HELP g G.\n# TYPE g gauge\n\ng 1\n"), "blank line");
    }
}
