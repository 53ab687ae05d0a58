package io.basalt.exec;

import static io.basalt.exec.TestNetwork.FEE;
import static io.basalt.exec.TestNetwork.NETWORK_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.crypto.KeyPair;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Admission's pre-check runs the guard list execution runs: against the committed state at a
 * consensus time, it refuses exactly what the next height at that time would refuse unchanged.
 */
class PrecheckTest {
    private final TestNetwork net = new TestNetwork(2, 91);
    private final TestNetwork.Shard s0 = net.shard(0);
    private final KeyPair alice = net.account(0, 0);
    private final KeyPair bob = net.account(0, 1);

    @Test
    void precheckAndExecutionAgreeOnEveryGuard() {
        final KeyPair poor = net.unfunded(0);
        final byte[] spent = net.transfer(alice, bob, 0, 1);
        s0.run(spent, net.transfer(alice, poor, 0, FEE - 1));
        final long at = net.nextTimeMs();
        final byte[] ok = net.transfer(NETWORK_ID, FEE, at + 1_000, alice, bob.publicKey(), 0, 3);
        final byte[] crossSwapOnB = net.swap(NETWORK_ID, FEE, at + 1_000, net.account(1, 0), 0, 1, alice, 0, 1);
        final List<byte[]> txs = List.of(ok, crossSwapOnB, spent,
            net.transfer(NETWORK_ID, FEE, at, alice, bob.publicKey(), 0, 1),
            net.transfer(NETWORK_ID, FEE, at + ExecConfig.MAX_EXPIRY_AHEAD_MS + 1, alice, bob.publicKey(), 0, 1),
            net.transfer(NETWORK_ID + 1, FEE, at + 1_000, alice, bob.publicKey(), 0, 1),
            net.transfer(NETWORK_ID, FEE, at + 1_000, net.account(1, 0), bob.publicKey(), 0, 1),
            net.transfer(NETWORK_ID, FEE - 1, at + 1_000, alice, bob.publicKey(), 0, 1),
            net.transfer(NETWORK_ID, FEE, at + 1_000, poor, bob.publicKey(), 0, 1));
        final List<Guard> expected = List.of(Guard.PASS, Guard.PASS, Guard.DUPLICATE, Guard.EXPIRED,
            Guard.EXPIRY_TOO_FAR, Guard.WRONG_NETWORK, Guard.WRONG_SHARD, Guard.INSUFFICIENT_FEE,
            Guard.INSUFFICIENT_FEE);

        final TxView view = new TxView();
        for (int i = 0; i < txs.size(); i++) {
            final byte[] tx = txs.get(i);
            view.wrap(new UnsafeBuffer(tx), 0, tx.length);
            assertEquals(expected.get(i), HeightExecutor.precheck(s0.config, view, s0.state, at), "tx " + i);
        }
        // Each alone in a height at that time: execution refuses the same ones with the same result.
        for (int i = 2; i < txs.size(); i++) {
            final TestNetwork network = new TestNetwork(2, 91);
            network.shard(0).run(spent, network.transfer(alice, poor, 0, FEE - 1));
            assertEquals(expected.get(i).execResult(), network.shard(0).runAt(at, txs.get(i)).result(0), "tx " + i);
        }
    }

    @Test
    void guardsMapToTheirClientCodes() {
        assertEquals(RejectCode.EXPIRY_TOO_FAR, Guard.EXPIRY_TOO_FAR.rejectCode());
        assertEquals(ExecResult.EXPIRED, Guard.EXPIRY_TOO_FAR.execResult());
        assertEquals(RejectCode.INSUFFICIENT_FEE_BALANCE, Guard.INSUFFICIENT_FEE.rejectCode());
        assertEquals(RejectCode.NONE, Guard.PASS.rejectCode());
        assertEquals(ExecResult.SUCCESS, Guard.PASS.execResult());
    }
}
