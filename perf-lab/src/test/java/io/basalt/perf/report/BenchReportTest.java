package io.basalt.perf.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench report from a literal JMH JSON result and a missing load run. */
class BenchReportTest {
    private static final String JMH = """
        [ { "benchmark" : "io.basalt.perf.Sha256Benchmark.digest", "mode" : "thrpt", "params" : { "bytes" : "112" },
            "primaryMetric" : { "score" : 2500000.0, "scoreError" : 1000.0, "scoreUnit" : "ops/s" },
            "secondaryMetrics" : { "gc.alloc.rate.norm" : { "score" : 0.001, "scoreUnit" : "B/op" } } } ]
        """;

    @TempDir
    Path dir;

    @Test
    void writesTablesAndAnInlineSvgChartWithoutNetworkReferences() throws Exception {
        final Path jmh = dir.resolve("jmh.json");
        Files.writeString(jmh, JMH);
        BenchReport.main(new String[] {dir.resolve("out").toString(), jmh.toString(), dir.resolve("load").toString()});
        final String md = Files.readString(dir.resolve("out/report.md"));
        assertTrue(md.contains("| Sha256Benchmark.digest | bytes=112 | thrpt | 2,500,000 | 1,000 | ops/s | 0.001 |"), md);
        assertTrue(md.contains("(no load run:"));
        final String html = Files.readString(dir.resolve("out/report.html"));
        assertTrue(html.contains("<svg"));
        assertTrue(html.contains("<td class=\"n\">2,500,000</td>"), html);
        assertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"));
        final List<BenchReport.Row> rows = BenchReport.readJmh(jmh);
        assertEquals("Sha256Benchmark", rows.getFirst().className());
    }
}
