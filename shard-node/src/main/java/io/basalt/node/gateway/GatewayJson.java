package io.basalt.node.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.crypto.Hex;
import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.NodeStatus;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import io.basalt.node.api.TxStatus;
import io.basalt.node.config.Genesis;
import io.basalt.protocol.ExecResult;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes of the HTTP API and the WebSocket stream (docs/api.md). One place, so that the
 * REST answers and the stream messages describe a transaction with the same field names.
 *
 * <p>Amounts are unsigned 64-bit: they are written as JSON integers with their unsigned value, which
 * may exceed 2^53 (JavaScript clients should parse them as big integers).
 */
final class GatewayJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private GatewayJson() {
    }

    static ObjectNode error(final String code, final String message) {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("code", code);
        node.put("message", message);
        return node;
    }

    static ObjectNode status(final NodeStatus status, final long fee) {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("networkId", Integer.toUnsignedLong(status.networkId()));
        node.put("shardId", status.shardId());
        node.put("shardCount", status.shardCount());
        node.put("validatorIndex", status.validatorIndex());
        node.put("committeeSize", status.committeeSize());
        node.put("fee", unsigned(fee));
        node.put("committedHeight", status.committedHeight());
        node.put("executedHeight", status.executedHeight());
        node.put("round", status.round());
        node.put("stateDigest", status.stateDigestHex());
        node.put("consensusTimeMs", status.consensusTimeMs());
        node.put("ready", status.ready());
        return node;
    }

    /**
     * The shard map of {@code GET /v1/network}: what a client needs to send each transaction to a
     * validator of its sender's shard. Consensus endpoints are left out: clients never use them.
     */
    static ObjectNode network(final Genesis genesis) {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("networkId", Integer.toUnsignedLong(genesis.networkId()));
        node.put("shardCount", genesis.shardCount());
        node.put("fee", unsigned(genesis.fee()));
        final ArrayNode shards = node.putArray("shards");
        for (final Genesis.Shard shard : genesis.shards()) {
            final ObjectNode entry = shards.addObject();
            entry.put("shardId", shard.shardId());
            final ArrayNode validators = entry.putArray("validators");
            for (final Genesis.Validator validator : shard.validators()) {
                validators.addObject()
                    .put("index", validator.index())
                    .put("publicKey", validator.publicKey())
                    .put("stake", validator.stake())
                    .put("httpEndpoint", validator.httpEndpoint())
                    .put("clientEndpoint", validator.clientEndpoint());
            }
        }
        return node;
    }

    /** A transaction's status: state, then the result (COMMITTED) or reject code (REJECTED), then where. */
    static ObjectNode txStatus(final byte[] txId, final TxStatus status) {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("txId", Hex.encode(txId));
        node.put("state", status.state().name());
        outcome(node, status.state(), status.result(), status.rejectCode());
        node.put("height", status.height());
        node.put("consensusTimeMs", status.consensusTimeMs());
        return node;
    }

    /**
     * A finality event as pushed on the stream. For REJECTED, the event's {@code result} field carries
     * the {@link RejectCode} (admission refused it); for COMMITTED it is the {@link ExecResult}.
     */
    static ObjectNode finality(final FinalityEvent event) {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "finality");
        node.put("txId", Hex.encode(event.txId()));
        node.put("state", event.level().name());
        outcome(node, event.level(), event.result(),
            event.level() == TxState.REJECTED ? RejectCode.fromCode(event.result()) : RejectCode.NONE);
        node.put("height", event.height());
        node.put("consensusTimeMs", event.consensusTimeMs());
        return node;
    }

    static ObjectNode balances(final byte[] account, final int accountShard, final int nodeShard,
                               final Map<Integer, Long> balances) {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("account", Hex.encode(account));
        node.put("shard", accountShard);
        node.put("nodeShard", nodeShard);
        final ObjectNode byAsset = node.putObject("balances");
        for (final Map.Entry<Integer, Long> e : new TreeMap<>(balances).entrySet()) {
            byAsset.put(Integer.toUnsignedString(e.getKey()), unsigned(e.getValue()));
        }
        return node;
    }

    private static void outcome(final ObjectNode node, final TxState state, final int result, final RejectCode reject) {
        if (state == TxState.COMMITTED || state == TxState.SETTLED) {
            node.put("result", ExecResult.fromCode(result).name());
            node.put("resultCode", result);
        } else if (state == TxState.REJECTED) {
            node.put("rejectCode", reject.name());
            node.put("rejectCodeValue", reject.code());
        }
    }

    static BigInteger unsigned(final long value) {
        return value >= 0 ? BigInteger.valueOf(value) : new BigInteger(Long.toUnsignedString(value));
    }
}
