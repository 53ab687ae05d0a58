package io.basalt.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.crypto.KeyPair;
import io.basalt.protocol.ExecResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state at height 0 and what it must guarantee to the rules. */
class GenesisStateTest {
    private final TestNetwork keys = new TestNetwork(2, 51);
    private final KeyPair onZero = keys.account(0, 0);
    private final KeyPair onOne = keys.account(1, 0);

    @Test
    void balancesAreSummedPerAccountAndAssetAndEveryShardKeepsItsOwn() {
        final List<Allocation> allocations = List.of(new Allocation(onZero.publicKey(), 0, 5),
            new Allocation(onOne.publicKey(), 0, 7), new Allocation(onZero.publicKey(), 0, 6),
            new Allocation(onZero.publicKey(), 2, 9));
        final MemoryState zero = new MemoryState(new ExecConfig(0, 2, 1, 3), allocations, 0);
        final MemoryState one = new MemoryState(new ExecConfig(1, 2, 1, 3), allocations, 0);

        assertEquals(11, zero.balance(onZero.publicKey(), 0));
        assertEquals(9, zero.balance(onZero.publicKey(), 2));
        assertEquals(0, zero.balance(onOne.publicKey(), 0), "shard 0 holds nothing of shard 1's accounts");
        assertEquals(7, one.balance(onOne.publicKey(), 0));
        assertEquals(11, zero.assetSupply(0));
        assertEquals(7, one.assetSupply(0));
        assertEquals(9, zero.assetSupply(2));
    }

    @Test
    void assetZeroExistsOnEveryShardEvenWithoutAllocations() {
        final MemoryState empty = new MemoryState(new ExecConfig(1, 2, 1, 3),
            List.of(new Allocation(onZero.publicKey(), 0, 5)), 0);
        assertEquals(0, empty.assetSupply(0));
        assertEquals(StateView.ABSENT, empty.assetSupply(2));
    }

    @Test
    void theDigestCommitsToThisShardsAllocationsAndTheFeeOnly() {
        final List<Allocation> base = List.of(new Allocation(onZero.publicKey(), 0, 5),
            new Allocation(onOne.publicKey(), 0, 7));
        final List<Allocation> otherShardChanged = List.of(new Allocation(onZero.publicKey(), 0, 5),
            new Allocation(onOne.publicKey(), 0, 8));
        final List<Allocation> mineChanged = List.of(new Allocation(onZero.publicKey(), 0, 6),
            new Allocation(onOne.publicKey(), 0, 7));
        final ExecConfig config = new ExecConfig(0, 2, 1, 3);

        final byte[] digest = GenesisState.of(config, base).digest();
        assertArrayEquals(digest, GenesisState.of(config, otherShardChanged).digest());
        assertFalse(Arrays.equals(digest, GenesisState.of(config, mineChanged).digest()));
        assertFalse(Arrays.equals(digest, GenesisState.of(new ExecConfig(0, 2, 1, 4), base).digest()));
        assertFalse(Arrays.equals(digest, GenesisState.of(new ExecConfig(0, 2, 2, 3), base).digest()));
        assertFalse(Arrays.equals(digest, GenesisState.of(new ExecConfig(1, 2, 1, 3), base).digest()));
    }

    @Test
    void aNegativeAllocationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GenesisState.of(new ExecConfig(0, 2, 1, 3),
            List.of(new Allocation(onZero.publicKey(), 0, -1))));
    }

    /**
     * Asset ids are unique because asset a is minted only on shard a mod shardCount. A genesis
     * asset held only on other shards must still be known on its home shard, or a CREATE_ASSET
     * there would issue a second supply under the same id.
     */
    @Test
    void aGenesisAssetHeldElsewhereCannotBeMintedAgainOnItsHomeShard() {
        final int asset = 4; // home shard 0
        final TestNetwork net = new TestNetwork(2, 52, TestNetwork.FEE,
            List.of(new Allocation(onOneOf(52), asset, 1_000)));
        final KeyPair issuer = net.account(0, 0);

        final TestNetwork.Height h = net.shard(0).run(net.createAsset(issuer, asset, Long.MAX_VALUE));

        assertEquals(ExecResult.ASSET_EXISTS, h.result(0));
        assertEquals(0, net.shard(0).balance(issuer, asset));
        assertEquals(1_000, net.networkSupply(asset));
        // And the asset still travels home: a credit to the registered asset.
        final KeyPair holder = net.account(1, 0);
        assertEquals(1_000, net.shard(1).balance(holder, asset));
        net.shard(1).run(net.transfer(holder, issuer, asset, 400));
        net.relay(1, 0);
        assertEquals(400, net.shard(0).balance(issuer, asset));
        assertEquals(1_000, net.networkSupply(asset));
    }

    /** Every shard's supply of an asset is at most the network's, which must fit in 2^63-1. */
    @Test
    void aGenesisWhoseNetworkWideSupplyOverflowsIsRefused() {
        final List<Allocation> allocations = List.of(new Allocation(onZero.publicKey(), 0, Long.MAX_VALUE),
            new Allocation(onOne.publicKey(), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> GenesisState.of(new ExecConfig(0, 2, 1, 3), allocations));
        assertThrows(IllegalArgumentException.class, () -> GenesisState.of(new ExecConfig(1, 2, 1, 3), allocations));
    }

    /** The first funded account of shard 1 in a network of this seed (the network derives its keys in order). */
    private static byte[] onOneOf(final long seed) {
        return new TestNetwork(2, seed).account(1, 0).publicKey();
    }
}
