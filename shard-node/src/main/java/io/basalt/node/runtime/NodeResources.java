package io.basalt.node.runtime;

import io.basalt.dag.CoreStorage;
import io.basalt.node.exec.Ledger;
import io.basalt.node.net.AeronMedia;
import io.basalt.node.net.ConsensusTransport;

/**
 * What a validator can be handed instead of opening itself. A stand-alone validator gets nothing
 * ({@link #standalone()}): it opens its media driver (or connects to one), its block store and its
 * ledger from {@code NodeConfig}. A local cluster shares one media driver and talks IPC
 * ({@link #inProcess}). Storage and ledger given here become the node's: it closes them.
 *
 * @param media      a shared Aeron client (and driver); null to open one from the config
 * @param ipc        consensus over IPC on {@code media} instead of UDP to the genesis endpoints
 * @param storage    the consensus store; null to open {@code FileBlockStore} under the data folder
 * @param ledger     the shard state; null to open {@code ChronicleLedger} under the data folder
 * @param termLength Aeron term length of consensus publications; a message is at most a term / 8
 */
public record NodeResources(AeronMedia media, boolean ipc, CoreStorage storage, Ledger ledger, int termLength,
                            boolean clientGateway) {
    public NodeResources {
        if (ipc && media == null) {
            throw new IllegalArgumentException("IPC needs the shared media driver");
        }
        if (Integer.bitCount(termLength) != 1 || termLength < 64 * 1024 || termLength > 1024 * 1024 * 1024) {
            throw new IllegalArgumentException("term length must be a power of two in [64 KiB, 1 GiB]: " + termLength);
        }
    }

    public static NodeResources standalone() {
        return new NodeResources(null, false, null, null, ConsensusTransport.DEFAULT_TERM_LENGTH, true);
    }

    public static NodeResources inProcess(final AeronMedia shared) {
        return new NodeResources(shared, true, null, null, ConsensusTransport.DEFAULT_TERM_LENGTH, true);
    }

    public NodeResources withBackends(final CoreStorage storage, final Ledger ledger) {
        return new NodeResources(media, ipc, storage, ledger, termLength, clientGateway);
    }

    /** Leaves the Aeron client gateway off (tests that must not bind the genesis client ports). */
    public NodeResources withoutClientGateway() {
        return new NodeResources(media, ipc, storage, ledger, termLength, false);
    }

    public NodeResources withTermLength(final int termLength) {
        return new NodeResources(media, ipc, storage, ledger, termLength, clientGateway);
    }
}
