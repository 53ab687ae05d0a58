package io.basalt.node.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files of a network: keys, genesis and one node config per validator, written by
 * {@code basalt genesis} and by the local cluster on its first run.
 *
 * <pre>
 *   DIR/genesis.json
 *   DIR/faucet-shard-S.key                      a funded account on shard S (mode 0600)
 *   DIR/shard-S/validator-V/validator.key       (mode 0600)
 *   DIR/shard-S/validator-V/node.json           paths relative to this folder
 *   DIR/shard-S/validator-V/data/               block store, state, commit log (created by the node)
 * </pre>
 *
 * Ports: validators are spread over the hosts round-robin by global index g = S·n + V; the k-th
 * validator on a host listens on consensus 20000+k (UDP), HTTP 8080+k and Aeron client 9000+2k
 * (the next port is left free for the client gateway's response channel).
 */
public final class ClusterFiles {
    public static final int CONSENSUS_BASE_PORT = 20_000;
    public static final int HTTP_BASE_PORT = 8080;
    public static final int CLIENT_BASE_PORT = 9000;
    /** Balance of asset 0 given to each shard's faucet. */
    public static final long FAUCET_AMOUNT = 1_000_000_000_000_000L;
    public static final long DEFAULT_FEE = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was written (or found). */
    public record Layout(Path dir, Genesis genesis, List<List<Path>> nodeConfigs, List<Path> faucetKeys) {
        public Path genesisFile() {
            return dir.resolve("genesis.json");
        }

        public Path nodeConfig(final int shardId, final int index) {
            return nodeConfigs.get(shardId).get(index);
        }
    }

    private ClusterFiles() {
    }

    public static Path genesisFile(final Path dir) {
        return dir.resolve("genesis.json");
    }

    public static Path validatorDir(final Path dir, final int shardId, final int index) {
        return dir.resolve("shard-" + shardId).resolve("validator-" + index);
    }

    public static Path faucetKey(final Path dir, final int shardId) {
        return dir.resolve("faucet-shard-" + shardId + ".key");
    }

    /**
     * Generates fresh keys, a genesis with a funded faucet per shard, and node configs. Refuses to
     * overwrite an existing genesis in {@code dir}.
     */
    public static Layout generate(final Path dir, final int shards, final int validators, final List<String> hosts,
                                  final long fee, final String idleStrategy, final long minRoundIntervalMs)
        throws IOException {
        if (shards < 1 || validators < 1 || hosts.isEmpty()) {
            throw new IllegalArgumentException("need at least one shard, one validator and one host");
        }
        final List<Seat> seats = new ArrayList<>();
        for (int global = 0; global < shards * validators; global++) {
            seats.add(new Seat(null, hosts.get(global % hosts.size())));
        }
        return generateSeats(dir, shards, validators, seats, fee, idleStrategy, minRoundIntervalMs);
    }

    /**
     * A validator's seat in a network being written: its host, and its public key when the key was
     * made on the validator's own host ({@code basalt keys new}); null to make the key here (dealer).
     */
    public record Seat(String publicKeyHex, String host) {
    }

    /**
     * {@link #generate(Path, int, int, List, long, String, long)} with one seat per validator, shard by
     * shard ({@code seats.get(shard * validators + index)}). Seats with a public key get no key file:
     * their operators put their own {@code validator.key} beside the node config. The k-th seat on a host
     * gets that host's k-th ports.
     */
    public static Layout generateSeats(final Path dir, final int shards, final int validators, final List<Seat> seats,
                                  final long fee, final String idleStrategy, final long minRoundIntervalMs)
        throws IOException {
        if (shards < 1 || validators < 1 || seats.size() != shards * validators) {
            throw new IllegalArgumentException("need at least one shard and one validator, and one seat per validator ("
                + shards * validators + "), not " + seats.size());
        }
        if (Files.exists(genesisFile(dir))) {
            throw new IOException(genesisFile(dir) + " already exists");
        }
        Files.createDirectories(dir);
        final Ed25519 ed25519 = Ed25519.fromSystemProperties();
        final SecureRandom random = new SecureRandom();
        final List<Genesis.Shard> shardList = new ArrayList<>();
        final List<List<Path>> configs = new ArrayList<>();
        final Map<String, Integer> slotsUsed = new HashMap<>();
        final Set<String> publicKeys = new HashSet<>();
        for (int s = 0; s < shards; s++) {
            final List<Genesis.Validator> committee = new ArrayList<>();
            final List<Path> shardConfigs = new ArrayList<>();
            for (int v = 0; v < validators; v++) {
                final Seat seat = seats.get(s * validators + v);
                final String host = seat.host();
                final int slot = slotsUsed.merge(host, 1, Integer::sum) - 1;
                final Path folder = validatorDir(dir, s, v);
                Files.createDirectories(folder);
                final String publicKey;
                if (seat.publicKeyHex() == null) {
                    final KeyPair key = ed25519.generateKeyPair(random);
                    KeyFiles.write(folder.resolve("validator.key"), key);
                    publicKey = key.publicKeyHex();
                } else if (!publicKeys.add(seat.publicKeyHex())) {
                    throw new IllegalArgumentException("public key " + seat.publicKeyHex() + " has two seats");
                } else {
                    publicKey = seat.publicKeyHex();
                }
                committee.add(new Genesis.Validator(v, publicKey, 1,
                    host + ":" + (CONSENSUS_BASE_PORT + slot), host + ":" + (HTTP_BASE_PORT + slot),
                    host + ":" + (CLIENT_BASE_PORT + 2 * slot)));
                final Path config = folder.resolve("node.json");
                writeNodeConfig(config, s, v, idleStrategy, minRoundIntervalMs);
                shardConfigs.add(config);
            }
            shardList.add(new Genesis.Shard(s, committee));
            configs.add(shardConfigs);
        }
        final List<Genesis.Allocation> allocations = new ArrayList<>();
        final List<Path> faucets = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            final KeyPair faucet = keyOnShard(ed25519, random, s, shards);
            KeyFiles.write(faucetKey(dir, s), faucet);
            faucets.add(faucetKey(dir, s));
            allocations.add(new Genesis.Allocation(faucet.publicKeyHex(), 0, FAUCET_AMOUNT));
        }
        final Genesis genesis = new Genesis(random.nextInt(1, Integer.MAX_VALUE), shards, fee,
            System.currentTimeMillis(), shardList, allocations);
        genesis.write(genesisFile(dir));
        return new Layout(dir, genesis, configs, faucets);
    }

    /** Reads what {@link #generate} wrote; null when {@code dir} holds no genesis. */
    public static Layout read(final Path dir) throws IOException {
        if (!Files.exists(genesisFile(dir))) {
            return null;
        }
        final Genesis genesis = Genesis.read(genesisFile(dir));
        final List<List<Path>> configs = new ArrayList<>();
        final List<Path> faucets = new ArrayList<>();
        for (int s = 0; s < genesis.shardCount(); s++) {
            final List<Path> shardConfigs = new ArrayList<>();
            for (int v = 0; v < genesis.shards().get(s).validators().size(); v++) {
                shardConfigs.add(validatorDir(dir, s, v).resolve("node.json"));
            }
            configs.add(shardConfigs);
            faucets.add(faucetKey(dir, s));
        }
        return new Layout(dir, genesis, configs, faucets);
    }

    /**
     * Writes a node config with paths relative to its folder, so the folder can be copied to
     * another host as it is. ({@code NodeConfig.write} would store absolute {@code file:} URIs.)
     */
    private static void writeNodeConfig(final Path file, final int shardId, final int index, final String idleStrategy,
                                        final long minRoundIntervalMs) throws IOException {
        final NodeConfig defaults = NodeConfig.local(Path.of("x"), shardId, index, Path.of("x"), Path.of("x"), null);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("genesis", "../../genesis.json");
        json.put("shardId", shardId);
        json.put("validatorIndex", index);
        json.put("keyFile", "validator.key");
        json.put("dataDir", "data");
        json.put("aeronDir", null);
        json.put("embeddedMediaDriver", true);
        json.put("idleStrategy", idleStrategy);
        json.put("verifierThreads", defaults.verifierThreads());
        json.put("leaderTimeoutMs", defaults.leaderTimeoutMs());
        json.put("minRoundIntervalMs", minRoundIntervalMs);
        json.put("idleRoundIntervalMs", NodeConfig.DEFAULT_IDLE_ROUND_INTERVAL_MS);
        json.put("maxBlockTransactions", defaults.maxBlockTransactions());
        json.put("stateEntries", defaults.stateEntries());
        json.put("faucetKeyFile", "../../faucet-shard-" + shardId + ".key");
        JSON.writeValue(file.toFile(), json);
    }

    private static KeyPair keyOnShard(final Ed25519 ed25519, final SecureRandom random, final int shardId,
                                      final int shards) {
        // Expected tries: `shards`; the bound only guards against a broken shard function.
        for (int attempt = 0; attempt < 10_000 * shards; attempt++) {
            final KeyPair key = ed25519.generateKeyPair(random);
            if (Shards.shardOf(key.publicKey(), shards) == shardId) {
                return key;
            }
        }
        throw new IllegalStateException("no key found on shard " + shardId);
    }
}
