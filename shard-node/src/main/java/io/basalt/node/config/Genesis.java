package io.basalt.node.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.basalt.crypto.Hex;
import io.basalt.dag.Committee;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The genesis of a Basalt network, shared by every validator: network id, shards and their
 * committees (public keys, stakes, endpoints), the flat fee and the initial allocations.
 * Written by {@code basalt genesis}, read by every node; a JSON file.
 *
 * @param networkId     signed into every transaction; a transaction for another network is refused
 * @param shardCount    number of shards; an account's shard is fixed by its address (docs/protocol.md §1)
 * @param fee           flat fee per transaction, in asset 0, burned
 * @param genesisTimeMs consensus time before the first commit
 * @param shards        committee of each shard, by shard id
 * @param allocations   initial balances; each lands on the shard of its account
 */
public record Genesis(
    int networkId,
    int shardCount,
    long fee,
    long genesisTimeMs,
    List<Shard> shards,
    List<Allocation> allocations) {

    /** One shard's committee. */
    public record Shard(int shardId, List<Validator> validators) {
    }

    /**
     * One validator: its index in the shard's committee, its Ed25519 public key (hex), its stake,
     * and where it listens: consensus (Aeron UDP {@code host:port}), HTTP ({@code host:port}) and the
     * Aeron client stream ({@code host:port}).
     */
    public record Validator(int index, String publicKey, long stake, String consensusEndpoint,
                            String httpEndpoint, String clientEndpoint) {
    }

    /** An initial balance: account (hex public key), asset id, amount. */
    public record Allocation(String account, int assetId, long amount) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Genesis {
        if (shardCount < 1 || shards.size() != shardCount) {
            throw new IllegalArgumentException("genesis must describe each of its " + shardCount + " shards");
        }
        if (fee < 0) {
            throw new IllegalArgumentException("fee must not be negative");
        }
        for (int s = 0; s < shardCount; s++) {
            final Shard shard = shards.get(s);
            if (shard.shardId() != s || shard.validators().isEmpty()) {
                throw new IllegalArgumentException("shard " + s + " must be listed in order with validators");
            }
            for (int v = 0; v < shard.validators().size(); v++) {
                final Validator validator = shard.validators().get(v);
                if (validator.index() != v || validator.stake() <= 0) {
                    throw new IllegalArgumentException("shard " + s + " validator " + v + " is malformed");
                }
                hex32(validator.publicKey(), "shard " + s + " validator " + v + " publicKey");
            }
        }
        for (final Allocation allocation : allocations) {
            hex32(allocation.account(), "allocation account");
        }
        shards = List.copyOf(shards);
        allocations = List.copyOf(allocations);
    }

    /** Reads a genesis file; an error names the file and, where Jackson knows it, the field (shards[0].validators[2].stake). */
    public static Genesis read(final Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), Genesis.class);
        } catch (final com.fasterxml.jackson.databind.JsonMappingException e) {
            final String field = fieldPath(e);
            throw new IOException(ConfigText.oneLine("invalid genesis " + file + (field.isEmpty() ? "" : ", field " + field) + ": "
                + ConfigText.rootMessage(e)), e);
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(ConfigText.oneLine("genesis " + file + " is not valid JSON: " + e.getOriginalMessage()), e);
        } catch (final java.io.CharConversionException e) {
            // Jackson detects UTF-16/32 from the first bytes and its decoder throws this, not a JSON error.
            throw new IOException(ConfigText.oneLine("genesis " + file + " is not valid text: " + e.getMessage()), e);
        } catch (final IllegalArgumentException e) {
            throw new IOException(ConfigText.oneLine("invalid genesis " + file + ": " + e.getMessage()), e);
        }
    }

    private static String fieldPath(final com.fasterxml.jackson.databind.JsonMappingException e) {
        final StringBuilder path = new StringBuilder();
        for (final com.fasterxml.jackson.databind.JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }


    public void write(final Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    /** The consensus committee of one shard. */
    public Committee committee(final int shardId) {
        final List<Validator> validators = shards.get(shardId).validators();
        final byte[][] keys = new byte[validators.size()][];
        final long[] stakes = new long[validators.size()];
        for (int v = 0; v < keys.length; v++) {
            keys[v] = hex32(validators.get(v).publicKey(), "publicKey");
            stakes[v] = validators.get(v).stake();
        }
        return new Committee(shardId, keys, stakes);
    }

    /** What the execution rules of {@code shardId} need of this genesis. */
    public io.basalt.exec.ExecConfig execConfig(final int shardId) {
        return new io.basalt.exec.ExecConfig(shardId, shardCount, networkId, fee);
    }

    /** Every shard's committee keys and stakes: who may certify cross-shard batches. */
    public io.basalt.xshard.ShardCommittees shardCommittees() {
        final byte[][][] keys = new byte[shardCount][][];
        final long[][] stakes = new long[shardCount][];
        for (int s = 0; s < shardCount; s++) {
            final List<Validator> validators = shards.get(s).validators();
            keys[s] = new byte[validators.size()][];
            stakes[s] = new long[validators.size()];
            for (int v = 0; v < validators.size(); v++) {
                keys[s][v] = hex32(validators.get(v).publicKey(), "publicKey");
                stakes[s][v] = validators.get(v).stake();
            }
        }
        return new io.basalt.xshard.ShardCommittees(keys, stakes);
    }

    /** The allocations as the execution rules take them (every shard's; each shard keeps its own). */
    public List<io.basalt.exec.Allocation> execAllocations() {
        final List<io.basalt.exec.Allocation> out = new ArrayList<>();
        for (final Allocation a : allocations) {
            out.add(new io.basalt.exec.Allocation(hex32(a.account(), "allocation account"), a.assetId(), a.amount()));
        }
        return out;
    }

    public Validator validator(final int shardId, final int index) {
        return shards.get(shardId).validators().get(index);
    }

    /** Allocations whose account lives on {@code shardId}. */
    public List<Allocation> allocationsOn(final int shardId, final java.util.function.ToIntFunction<byte[]> shardOf) {
        final List<Allocation> mine = new ArrayList<>();
        for (final Allocation allocation : allocations) {
            if (shardOf.applyAsInt(hex32(allocation.account(), "allocation account")) == shardId) {
                mine.add(allocation);
            }
        }
        return mine;
    }

    /** A 32-byte key or address: exactly 64 ASCII hex digits (Hex is the one parser of hex). */
    private static byte[] hex32(final String hex, final String what) {
        return Hex.decode(hex, 32, what);
    }
}
