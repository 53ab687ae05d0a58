package io.basalt.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.BasaltException;
import io.basalt.client.sdk.NetworkMap;
import io.basalt.client.sdk.NetworkStatus;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code basalt network [--node URL] [-o json]}: the network's shard map (from any validator, since
 * every validator serves the same map) and the live status of the validator asked.
 */
@Command(name = "network", mixinStandardHelpOptions = true,
    description = "Print the network's shards and validators, and the status of the validator asked.")
final class NetworkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL",
        description = "HTTP URL of any validator (default: ${DEFAULT-VALUE})")
    URI node;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        try (BasaltClient client = ClientCommands.connect(node)) {
            final NetworkMap map = client.network();
            final NetworkStatus status = client.status();
            final PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOptions.print(out, json(map, status));
            } else {
                text(out, map, status);
            }
            out.flush();
            return 0;
        } catch (final BasaltException e) {
            throw ClientCommands.failure(e);
        }
    }

    private void text(final PrintWriter out, final NetworkMap map, final NetworkStatus status) {
        out.printf("network %d: %d shard(s), fee %s%n", Integer.toUnsignedLong(map.networkId()), map.shardCount(),
            Long.toUnsignedString(map.fee()));
        out.printf("asked %s: shard %d validator %d, committed height %d, round %d, consensus time %d ms, %s%n", node,
            status.shardId(), status.validatorIndex(), status.committedHeight(), status.round(), status.consensusTimeMs(),
            status.ready() ? "ready" : "not ready");
        for (final NetworkMap.Shard shard : map.shards()) {
            out.println("shard " + shard.shardId());
            for (final NetworkMap.Validator v : shard.validators()) {
                out.printf("  validator %d  http %s  client %s  key %s%n", v.index(), v.httpEndpoint(),
                    v.clientEndpoint().isEmpty() ? "-" : v.clientEndpoint(), v.publicKey());
            }
        }
    }

    /** The map in the shape of GET /v1/network, plus "node": the asked validator's status. */
    static ObjectNode json(final NetworkMap map, final NetworkStatus status) {
        final ObjectNode node = OutputOptions.object();
        node.put("networkId", Integer.toUnsignedLong(map.networkId()));
        node.put("shardCount", map.shardCount());
        node.put("fee", OutputOptions.unsigned(map.fee()));
        final ArrayNode shards = node.putArray("shards");
        for (final NetworkMap.Shard shard : map.shards()) {
            final ObjectNode entry = shards.addObject();
            entry.put("shardId", shard.shardId());
            final ArrayNode validators = entry.putArray("validators");
            for (final NetworkMap.Validator v : shard.validators()) {
                validators.addObject().put("index", v.index()).put("publicKey", v.publicKey()).put("stake", v.stake())
                    .put("httpEndpoint", v.httpEndpoint()).put("clientEndpoint", v.clientEndpoint());
            }
        }
        final ObjectNode asked = node.putObject("node");
        asked.put("shardId", status.shardId());
        asked.put("validatorIndex", status.validatorIndex());
        asked.put("committeeSize", status.committeeSize());
        asked.put("committedHeight", status.committedHeight());
        asked.put("executedHeight", status.executedHeight());
        asked.put("round", status.round());
        asked.put("consensusTimeMs", status.consensusTimeMs());
        asked.put("stateDigest", status.stateDigest());
        asked.put("ready", status.ready());
        return node;
    }
}
