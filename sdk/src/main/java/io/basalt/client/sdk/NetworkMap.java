package io.basalt.client.sdk;

import io.basalt.crypto.Shards;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.TransactionSender;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The shards of a network and their validators, as served by {@code GET /v1/network} (docs/api.md):
 * what a client needs to send each transaction to its sender's shard and each balance query to the
 * account's shard.
 *
 * <p>It is a type of its own beside {@link NetworkStatus}: a status is one validator's live view
 * (heights, consensus time) and changes every round; the map comes from the genesis and is the same
 * on every validator for the life of the network.
 *
 * @param networkId  signed into every transaction
 * @param shardCount number of shards; {@link #shardOf} maps an address to one
 * @param fee        the flat fee per transaction, in asset 0
 * @param shards     every shard, by shard id
 */
public record NetworkMap(int networkId, int shardCount, long fee, List<Shard> shards) {
    /** One shard's validators, by committee index. */
    public record Shard(int shardId, List<Validator> validators) {
        public Shard {
            validators = List.copyOf(validators);
        }
    }

    /**
     * A validator: its committee index, Ed25519 public key (hex) and stake, its HTTP gateway
     * ({@code host:port}) and its Aeron client endpoint ({@code host:port}; responses on port + 1).
     */
    public record Validator(int index, String publicKey, long stake, String httpEndpoint, String clientEndpoint) {
    }

    public NetworkMap {
        if (shardCount < 1 || shards.size() != shardCount) {
            throw new IllegalArgumentException("a network map lists each of its " + shardCount + " shards");
        }
        for (int s = 0; s < shardCount; s++) {
            if (shards.get(s).shardId() != s || shards.get(s).validators().isEmpty()) {
                throw new IllegalArgumentException("shard " + s + " must be listed in order with validators");
            }
        }
        shards = List.copyOf(shards);
    }

    /** The shard of an account (a 32-byte address). */
    public int shardOf(final byte[] address) {
        return Shards.shardOf(address, shardCount);
    }

    /**
     * The shard that admits a transaction: its sender's (Transfer.from, CreateAsset.issuer,
     * Swap.partyA; a cross-shard swap is also admitted on partyB's shard).
     *
     * @throws IllegalArgumentException if the bytes are not a valid user transaction
     */
    public int shardOfTransaction(final byte[] transaction) {
        final var error = MessageValidator.validateUserTransaction(new UnsafeBuffer(transaction), 0, transaction.length);
        if (!error.isOk()) {
            throw new IllegalArgumentException("not a valid transaction: " + error.name() + " (" + error.message() + ")");
        }
        return shardOf(TransactionSender.of(transaction));
    }

    public Shard shard(final int shardId) {
        if (shardId < 0 || shardId >= shardCount) {
            throw new IllegalArgumentException("no shard " + shardId + " in a network of " + shardCount);
        }
        return shards.get(shardId);
    }
}
