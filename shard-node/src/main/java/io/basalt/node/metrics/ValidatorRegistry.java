package io.basalt.node.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One validator's Prometheus registry, never the library's global default one: {@code basalt local}
 * and the tests run several validators in one JVM, and each must answer its own /metrics without
 * clashing with the others. Every metric registered through this class carries the constant labels
 * {@code shard} and {@code validator}, the JVM and process collectors included (the library's
 * builders take constant labels), so a dashboard can tell two validators of one process apart.
 *
 * <p>Values that a hot path already keeps in an {@code AtomicLong} or a {@code volatile} field are
 * exported through callbacks read at scrape time, so the owning thread's write stays a single
 * atomic or plain store. Latencies are the library's classic histograms: {@code observe} is a
 * striped atomic increment plus adders, lock-free; only while a scrape is copying the histogram
 * does an observation go to a side buffer under a short lock, once per scrape interval.
 */
public final class ValidatorRegistry {
    /**
     * Upper bounds (seconds) of every latency histogram's buckets; the library adds {@code +Inf}.
     * From 50 µs (one admission) to 10 s (a stalled commit), dense around the 1-50 ms of finality so
     * that {@code histogram_quantile} over a window is exact to a few milliseconds there.
     */
    public static final double[] LATENCY_BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25,
        0.5, 1, 2.5, 5, 10};

    /** The text format 0.0.4 content type, for the HTTP reply. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Labels labels;

    /** A registry whose series are labelled {@code shard} and {@code validator}; nothing registered yet. */
    public ValidatorRegistry(final int shardId, final int validatorIndex) {
        this.labels = Labels.of("shard", Integer.toString(shardId), "validator", Integer.toString(validatorIndex));
    }

    /**
     * Adds the JVM and process collectors and {@code basalt_build_info}: what one validator's scrape
     * shows besides its own counters.
     *
     * <p>Not every collector of the library's {@code JvmMetrics} bundle: its allocation counter adds a
     * GC notification listener to the JVM per registry and never removes it (a JVM that starts and
     * stops validators, as the tests do, would pile them up), and the native memory one answers
     * nothing without {@code -XX:NativeMemoryTracking}. Both are left out.
     */
    public ValidatorRegistry withJvmMetrics() {
        JvmThreadsMetrics.builder().constLabels(labels).register(registry);
        JvmBufferPoolMetrics.builder().constLabels(labels).register(registry);
        JvmClassLoadingMetrics.builder().constLabels(labels).register(registry);
        JvmCompilationMetrics.builder().constLabels(labels).register(registry);
        JvmGarbageCollectorMetrics.builder().constLabels(labels).register(registry);
        JvmMemoryMetrics.builder().constLabels(labels).register(registry);
        JvmRuntimeInfoMetric.builder().constLabels(labels).register(registry);
        ProcessMetrics.builder().constLabels(labels).register(registry);
        return this;
    }

    /** {@code basalt_build_info{version, revision} 1}: which code this validator runs. */
    public ValidatorRegistry withBuildInfo() {
        final Info info = Info.builder().name("basalt_build_info")
            .help("The Basalt build this validator runs: Maven version and git revision (unknown when not built from git).")
            .labelNames("version", "revision").constLabels(labels).register(registry);
        info.setLabelValues(BuildInfo.version(), BuildInfo.revision());
        return this;
    }

    public Labels labels() {
        return labels;
    }

    /** A counter read from {@code value} at each scrape. {@code name} ends in {@code _total}. */
    public void counter(final String name, final String help, final LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).constLabels(labels)
            .callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    /**
     * A counter whose samples {@code values} reports at each scrape, one {@code call(value,
     * labelValues...)} per series; a call-back that reports nothing leaves the family without samples.
     */
    public void counters(final String name, final String help, final Consumer<CounterWithCallback.Callback> values,
                         final String... labelNames) {
        CounterWithCallback.builder().name(name).help(help).labelNames(labelNames).constLabels(labels)
            .callback(values).register(registry);
    }

    /** A gauge read from {@code value} at each scrape. */
    public void gauge(final String name, final String help, final LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).constLabels(labels)
            .callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    /** A latency histogram in seconds with {@link #LATENCY_BUCKETS}, optionally split by labels. */
    public Histogram latencyHistogram(final String name, final String help, final String... labelNames) {
        return Histogram.builder().name(name).help(help).labelNames(labelNames).constLabels(labels)
            .classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(registry);
    }

    /** Every registered metric in the Prometheus text format 0.0.4, written by the library. */
    public String render() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        try {
            WRITER.write(out, registry.scrape());
        } catch (final IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
