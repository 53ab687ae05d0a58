package io.basalt.node.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One validator's configuration: which validator it is, where its files are, how it binds and how
 * it spends CPU. A JSON file ({@code basalt node --config FILE}); relative paths are resolved
 * against the file's folder.
 *
 * @param genesis            genesis file
 * @param shardId            this validator's shard
 * @param validatorIndex     its index in the shard's committee
 * @param keyFile            its Ed25519 key file (mode 0600)
 * @param dataDir            state (Chronicle Map), block store and commit log
 * @param aeronDir           the media driver's folder; null for a private one under dataDir
 * @param embeddedMediaDriver start a media driver in this process (else connect to an external one)
 * @param idleStrategy       "backoff" (default; fine when validators share cores), "sleeping" or "busy"
 * @param verifierThreads    parallel signature-verification handlers in the ingest pipeline
 * @param leaderTimeoutMs    consensus: wait for a round's leader at most this long
 * @param minRoundIntervalMs consensus: least time between own proposals while there is work
 * @param idleRoundIntervalMs consensus: least time between own proposals when the cluster is idle
 *                           (0 = same as minRoundIntervalMs)
 * @param maxBlockTransactions consensus: transactions per block
 * @param stateEntries       Chronicle Map sizing: expected (account, asset) entries
 * @param faucetKeyFile      local clusters: the key of the funded faucet account, or null
 * @param http               the HTTP gateway's timeouts and limits ({@link HttpLimits}; absent or null:
 *                           {@link HttpLimits#DEFAULT})
 */
public record NodeConfig(
    Path genesis,
    int shardId,
    int validatorIndex,
    Path keyFile,
    Path dataDir,
    Path aeronDir,
    boolean embeddedMediaDriver,
    String idleStrategy,
    int verifierThreads,
    long leaderTimeoutMs,
    long minRoundIntervalMs,
    int maxBlockTransactions,
    long stateEntries,
    Path faucetKeyFile,
    long idleRoundIntervalMs,
    HttpLimits http) {

    /** Rounds while there is work: short, so a transaction waits at most about a millisecond for a block. */
    public static final long DEFAULT_MIN_ROUND_INTERVAL_MS = 0;
    /**
     * Rounds when idle: slow enough that idle validators sharing cores cost little CPU, fast enough
     * that the consensus time (which admission checks expiries against) stays within a few seconds.
     */
    public static final long DEFAULT_IDLE_ROUND_INTERVAL_MS = 500;

    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
            .addSerializer(Path.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer(Path.class)));

    public NodeConfig {
        if (http == null) {
            http = HttpLimits.DEFAULT;
        }
        if (verifierThreads < 1 || leaderTimeoutMs < 1 || minRoundIntervalMs < 0 || maxBlockTransactions < 1
            || stateEntries < 1 || idleRoundIntervalMs < 0) {
            throw new IllegalArgumentException("node config: verifierThreads, leaderTimeoutMs, maxBlockTransactions and "
                + "stateEntries must be positive, minRoundIntervalMs not negative");
        }
        if (!java.util.Set.of("backoff", "sleeping", "busy").contains(idleStrategy)) {
            throw new IllegalArgumentException("node config: idleStrategy must be backoff, sleeping or busy, was " + idleStrategy);
        }
    }

    /** A config with the default HTTP limits. */
    public NodeConfig(final Path genesis, final int shardId, final int validatorIndex, final Path keyFile,
                      final Path dataDir, final Path aeronDir, final boolean embeddedMediaDriver,
                      final String idleStrategy, final int verifierThreads, final long leaderTimeoutMs,
                      final long minRoundIntervalMs, final int maxBlockTransactions, final long stateEntries,
                      final Path faucetKeyFile, final long idleRoundIntervalMs) {
        this(genesis, shardId, validatorIndex, keyFile, dataDir, aeronDir, embeddedMediaDriver, idleStrategy,
            verifierThreads, leaderTimeoutMs, minRoundIntervalMs, maxBlockTransactions, stateEntries, faucetKeyFile,
            idleRoundIntervalMs, HttpLimits.DEFAULT);
    }

    /** Defaults for a validator of a local cluster on a shared machine. */
    public static NodeConfig local(final Path genesis, final int shardId, final int index, final Path keyFile,
                                   final Path dataDir, final Path faucetKeyFile) {
        return new NodeConfig(genesis, shardId, index, keyFile, dataDir, null, true, "backoff", 1,
            50, DEFAULT_MIN_ROUND_INTERVAL_MS, 1_000, 1_000_000, faucetKeyFile, DEFAULT_IDLE_ROUND_INTERVAL_MS);
    }

    public static NodeConfig read(final Path file) throws IOException {
        final NodeConfig raw;
        try {
            raw = JSON.readValue(file.toFile(), NodeConfig.class);
        } catch (final IllegalArgumentException e) {
            throw new IOException("invalid node config " + file + ": " + e.getMessage(), e);
        }
        final Path base = file.toAbsolutePath().getParent();
        return new NodeConfig(resolve(base, raw.genesis), raw.shardId, raw.validatorIndex, resolve(base, raw.keyFile),
            resolve(base, raw.dataDir), resolve(base, raw.aeronDir), raw.embeddedMediaDriver, raw.idleStrategy,
            raw.verifierThreads, raw.leaderTimeoutMs, raw.minRoundIntervalMs, raw.maxBlockTransactions,
            raw.stateEntries, resolve(base, raw.faucetKeyFile), raw.idleRoundIntervalMs, raw.http);
    }

    /** This config with other HTTP gateway limits. */
    public NodeConfig withHttp(final HttpLimits limits) {
        return new NodeConfig(genesis, shardId, validatorIndex, keyFile, dataDir, aeronDir, embeddedMediaDriver,
            idleStrategy, verifierThreads, leaderTimeoutMs, minRoundIntervalMs, maxBlockTransactions, stateEntries,
            faucetKeyFile, idleRoundIntervalMs, limits);
    }

    /** Writes the config; paths are written as given (relative ones stay relative to the file's folder). */
    public void write(final Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    private static Path resolve(final Path base, final Path path) {
        return path == null || path.isAbsolute() ? path : base.resolve(path);
    }
}
