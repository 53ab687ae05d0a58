package io.basalt.node.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param bindHost           the local address every listener binds (consensus UDP, HTTP, the Aeron
 *                           client stream), with the port of its genesis endpoint; null: the host of
 *                           that endpoint. The genesis endpoints stay what peers and clients are told
 *                           (the advertised addresses); "0.0.0.0" listens on every interface, as behind
 *                           NAT or in a container whose advertised address is not its own.
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
    HttpLimits http,
    String bindHost) {

    /** Rounds while there is work: short, so a transaction waits at most about a millisecond for a block. */
    public static final long DEFAULT_MIN_ROUND_INTERVAL_MS = 0;
    /**
     * Rounds when idle: slow enough that idle validators sharing cores cost little CPU, fast enough
     * that the consensus time (which admission checks expiries against) stays within a few seconds.
     */
    public static final long DEFAULT_IDLE_ROUND_INTERVAL_MS = 500;
    public static final long DEFAULT_LEADER_TIMEOUT_MS = 50;
    public static final int DEFAULT_MAX_BLOCK_TRANSACTIONS = 1_000;
    public static final long DEFAULT_STATE_ENTRIES = 1_000_000;

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
        if (idleStrategy == null || !java.util.Set.of("backoff", "sleeping", "busy").contains(idleStrategy)) {
            throw new IllegalArgumentException("node config: idleStrategy must be backoff, sleeping or busy, was " + idleStrategy);
        }
        if (bindHost != null && (bindHost.isBlank() || bindHost.contains(":") || bindHost.contains("/"))) {
            throw new IllegalArgumentException("node config: bindHost must be a host name or IPv4 address without a port, was '"
                + bindHost + "'");
        }
    }

    /** A config with the default HTTP limits that binds the genesis endpoints' own hosts. */
    public NodeConfig(final Path genesis, final int shardId, final int validatorIndex, final Path keyFile,
                      final Path dataDir, final Path aeronDir, final boolean embeddedMediaDriver,
                      final String idleStrategy, final int verifierThreads, final long leaderTimeoutMs,
                      final long minRoundIntervalMs, final int maxBlockTransactions, final long stateEntries,
                      final Path faucetKeyFile, final long idleRoundIntervalMs, final HttpLimits http) {
        this(genesis, shardId, validatorIndex, keyFile, dataDir, aeronDir, embeddedMediaDriver, idleStrategy,
            verifierThreads, leaderTimeoutMs, minRoundIntervalMs, maxBlockTransactions, stateEntries, faucetKeyFile,
            idleRoundIntervalMs, http, null);
    }

    /**
     * Where a listener whose advertised endpoint is {@code advertised} ({@code host:port} from the
     * genesis) binds: the same port on {@link #bindHost}, or the endpoint itself when there is none.
     */
    public String bindEndpoint(final String advertised) {
        if (bindHost == null || advertised == null || advertised.isBlank()) {
            return advertised;
        }
        final int colon = advertised.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("endpoint '" + advertised + "' has no port");
        }
        return bindHost + advertised.substring(colon);
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
            DEFAULT_LEADER_TIMEOUT_MS, DEFAULT_MIN_ROUND_INTERVAL_MS, DEFAULT_MAX_BLOCK_TRANSACTIONS, DEFAULT_STATE_ENTRIES,
            faucetKeyFile, DEFAULT_IDLE_ROUND_INTERVAL_MS);
    }

    /** Fields a node config file must give; every other one has the default of {@link #defaults}. */
    public static final List<String> REQUIRED = List.of("genesis", "shardId", "validatorIndex", "keyFile");

    /**
     * The defaults of every optional field, as a config file would write them (docs/config.md lists the
     * same; {@code ConfigReferenceTest} holds the two together).
     */
    public static Map<String, Object> defaults() {
        final Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataDir", "data");
        d.put("aeronDir", null);
        d.put("embeddedMediaDriver", true);
        d.put("idleStrategy", "backoff");
        d.put("verifierThreads", 1);
        d.put("leaderTimeoutMs", DEFAULT_LEADER_TIMEOUT_MS);
        d.put("minRoundIntervalMs", DEFAULT_MIN_ROUND_INTERVAL_MS);
        d.put("idleRoundIntervalMs", DEFAULT_IDLE_ROUND_INTERVAL_MS);
        d.put("maxBlockTransactions", DEFAULT_MAX_BLOCK_TRANSACTIONS);
        d.put("stateEntries", DEFAULT_STATE_ENTRIES);
        d.put("faucetKeyFile", null);
        d.put("http", null);
        d.put("bindHost", null);
        return d;
    }

    /**
     * Reads a node config file. Absent optional fields take their defaults; relative paths are resolved
     * against the file's folder. Every error names the file and the field: unknown fields, missing
     * required ones, wrong types and values out of range.
     */
    public static NodeConfig read(final Path file) throws IOException {
        final JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(ConfigText.oneLine("node config " + file + " is not valid JSON: " + e.getOriginalMessage()), e);
        } catch (final java.io.CharConversionException e) {
            // Jackson detects UTF-16/32 from the first bytes and its decoder throws this, not a JSON error.
            throw new IOException(ConfigText.oneLine("node config " + file + " is not valid text: " + e.getMessage()), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IOException("node config " + file + " must be a JSON object");
        }
        final Map<String, Object> defaults = defaults();
        for (final Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!REQUIRED.contains(name) && !defaults.containsKey(name)) {
                throw new IOException("node config " + file + ": unknown field '" + printable(name) + "' (fields: "
                    + String.join(", ", REQUIRED) + ", " + String.join(", ", defaults.keySet()) + ")");
            }
        }
        for (final String name : REQUIRED) {
            if (!tree.hasNonNull(name)) {
                throw new IOException("node config " + file + ": field '" + name + "' is required");
            }
        }
        final Fields f = new Fields(file, tree, defaults);
        final Path base = file.toAbsolutePath().getParent();
        final HttpLimits http;
        try {
            http = tree.hasNonNull("http") ? JSON.treeToValue(tree.get("http"), HttpLimits.class) : HttpLimits.DEFAULT;
        } catch (final com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(ConfigText.oneLine("node config " + file + ": field 'http': " + ConfigText.rootMessage(e)), e);
        }
        try {
            return new NodeConfig(resolve(base, f.path("genesis")), f.integer("shardId"), f.integer("validatorIndex"),
                resolve(base, f.path("keyFile")), resolve(base, f.path("dataDir")), resolve(base, f.path("aeronDir")),
                f.bool("embeddedMediaDriver"), f.text("idleStrategy"), f.integer("verifierThreads"),
                f.whole("leaderTimeoutMs"), f.whole("minRoundIntervalMs"), f.integer("maxBlockTransactions"),
                f.whole("stateEntries"), resolve(base, f.path("faucetKeyFile")), f.whole("idleRoundIntervalMs"), http,
                f.text("bindHost"));
        } catch (final IllegalArgumentException e) {
            throw new IOException(ConfigText.oneLine("invalid node config " + file + ": " + e.getMessage()), e);
        }
    }

    /** A field name from the file as an error may show it: one line (ConfigText), at most 64 characters. */
    private static String printable(final String name) {
        return ConfigText.oneLine(name.length() > 64 ? name.substring(0, 64) + "..." : name);
    }


    /** Typed reads of a config file's fields, with the defaults of {@link #defaults} for absent ones. */
    private static final class Fields {
        private final Path file;
        private final JsonNode tree;
        private final Map<String, Object> defaults;

        Fields(final Path file, final JsonNode tree, final Map<String, Object> defaults) {
            this.file = file;
            this.tree = tree;
            this.defaults = defaults;
        }

        private JsonNode node(final String name) {
            final JsonNode node = tree.get(name);
            return node == null || node.isNull() ? null : node;
        }

        Path path(final String name) throws IOException {
            final JsonNode node = node(name);
            if (node == null) {
                final Object d = defaults.get(name);
                return d == null ? null : Path.of((String) d);
            }
            if (!node.isTextual() || node.asText().isBlank()) {
                throw wrong(name, "a path (a non-empty string)", node);
            }
            return Path.of(node.asText());
        }

        String text(final String name) throws IOException {
            final JsonNode node = node(name);
            if (node == null) {
                return (String) defaults.get(name);
            }
            if (!node.isTextual()) {
                throw wrong(name, "a string", node);
            }
            return node.asText();
        }

        boolean bool(final String name) throws IOException {
            final JsonNode node = node(name);
            if (node == null) {
                return (Boolean) defaults.get(name);
            }
            if (!node.isBoolean()) {
                throw wrong(name, "true or false", node);
            }
            return node.asBoolean();
        }

        long whole(final String name) throws IOException {
            final JsonNode node = node(name);
            if (node == null) {
                return ((Number) defaults.getOrDefault(name, 0L)).longValue();
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw wrong(name, "a whole number", node);
            }
            return node.asLong();
        }

        int integer(final String name) throws IOException {
            final long value = whole(name);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw wrong(name, "a whole number below 2^31", node(name));
            }
            return (int) value;
        }

        private IOException wrong(final String name, final String expected, final JsonNode was) {
            return new IOException("node config " + file + ": field '" + name + "' must be " + expected + ", was " + was);
        }
    }

    /** This config with other HTTP gateway limits. */
    public NodeConfig withHttp(final HttpLimits limits) {
        return new NodeConfig(genesis, shardId, validatorIndex, keyFile, dataDir, aeronDir, embeddedMediaDriver,
            idleStrategy, verifierThreads, leaderTimeoutMs, minRoundIntervalMs, maxBlockTransactions, stateEntries,
            faucetKeyFile, idleRoundIntervalMs, limits, bindHost);
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
