package io.basalt.perf;

/**
 * JVM flags every benchmark fork needs, as annotation constants: Agrona 2.x buffers reach into
 * {@code jdk.internal.misc}, and libsodium is called through the FFM API. They are appended in each
 * {@code @Fork} so that {@code java -jar benchmarks.jar} works without remembering them;
 * {@code scripts/bench} passes them (and the node's other flags) to the host VM as well, and JMH
 * forks inherit the host's flags, so they may appear twice in a fork's command line: harmless.
 */
final class BenchmarkJvm {
    static final String ADD_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /*
     * A fixed, pre-touched heap, as a production node runs. Without it ZGC (the node's collector,
     * inherited from scripts/bench) keeps resizing the heap under the allocation-heavy benchmarks
     * and their scores swing by 4x from one iteration to the next (measured on the consensus-core
     * benchmark: 346..1336 rounds/s with the default heap, 1495..1594 with this one).
     */
    static final String HEAP_MIN = "-Xms4g";
    static final String HEAP_MAX = "-Xmx4g";
    static final String PRETOUCH = "-XX:+AlwaysPreTouch";

    private BenchmarkJvm() {
    }
}
