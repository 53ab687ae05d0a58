package io.basalt.client.cli;

import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.NodeConfig;
import io.basalt.node.gateway.HttpGateway;
import io.basalt.node.runtime.NodeResources;
import io.basalt.node.runtime.ValidatorNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code basalt node --config FILE}: one validator in this process (consensus over UDP to the
 * endpoints in genesis), with its HTTP gateway on the genesis {@code httpEndpoint}. Runs until
 * Ctrl-C. Files come from {@code basalt genesis}.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run one validator from its node config (written by basalt genesis) until Ctrl-C.")
final class NodeCommand implements Runnable {
    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @Option(names = "--config", required = true, description = "node config file (node.json)")
    Path configFile;

    @Option(names = "--no-http", description = "do not start the HTTP gateway")
    boolean noHttp;

    @Override
    public void run() {
        logging.apply();
        final NodeConfig config;
        final Genesis genesis;
        final KeyPair key;
        final KeyPair faucet;
        try {
            config = NodeConfig.read(configFile);
            genesis = Genesis.read(config.genesis());
            key = KeyFiles.read(config.keyFile());
            faucet = config.faucetKeyFile() == null || !config.faucetKeyFile().toFile().exists()
                ? null : KeyFiles.read(config.faucetKeyFile());
        } catch (final IOException | RuntimeException e) {
            throw new CliException("cannot read the node's files: " + e.getMessage(), 4);
        }
        final Genesis.Validator self = genesis.validator(config.shardId(), config.validatorIndex());
        final ValidatorNode node;
        try {
            node = ValidatorNode.start(config, genesis, key, NodeResources.standalone());
        } catch (final RuntimeException e) {
            throw new CliException("cannot start validator " + config.shardId() + "/" + config.validatorIndex()
                + ": " + e.getMessage(), 5);
        }
        HttpGateway gateway = null;
        if (!noHttp) {
            try {
                gateway = new HttpGateway(node, address(config.bindEndpoint(self.httpEndpoint())), faucet, genesis, config.http());
                gateway.start();
            } catch (final RuntimeException e) {
                node.close();
                throw new CliException(e.getMessage(), 5);
            }
        }
        System.out.printf("basalt node: shard %d validator %d of network %d%n", config.shardId(),
            config.validatorIndex(), genesis.networkId());
        System.out.println("data folder  " + config.dataDir());
        System.out.println("consensus    " + node.consensusChannel());
        System.out.println("http         " + (gateway == null ? "off" : "http://" + self.httpEndpoint()));
        System.out.println("client-aeron " + self.clientEndpoint());
        System.out.println("running; Ctrl-C to stop");
        final HttpGateway http = gateway;
        LocalCommand.awaitShutdown(() -> {
            if (http != null) {
                http.close();
            }
            node.close();
        });
    }

    static InetSocketAddress address(final String hostPort) {
        final int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
            throw new CliException("endpoint must be host:port, was " + hostPort, 4);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
