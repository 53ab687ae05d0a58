package io.basalt.node.runtime;

import io.basalt.crypto.Sha256;
import io.basalt.crypto.Shards;
import io.basalt.dag.Block;
import io.basalt.dag.CommittedSubDag;
import io.basalt.node.api.RejectCode;
import io.basalt.node.config.Genesis;
import io.basalt.node.exec.ExecResult;
import io.basalt.node.exec.ExecutionListener;
import io.basalt.node.exec.Ledger;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test stand-in for the ledger: transfers of asset 0 only, in memory, one lock. Enough to check
 * that validators execute the same committed sequence into the same state; the real execution
 * rules are engineer A's ChronicleLedger and its tests.
 */
final class MemoryLedger implements Ledger {
    private final Genesis genesis;
    private final int shardId;
    private final TreeMap<String, Long> balances = new TreeMap<>();
    private final Map<ByteBuffer, TxRecord> executed = new HashMap<>();
    private final Map<Long, String> digestByHeight = new HashMap<>();
    private final Sha256 sha = new Sha256();
    private final TransferDecoder transfer = new TransferDecoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private long height;
    private long timeMs;
    private byte[] digest = new byte[32];

    MemoryLedger(final Genesis genesis, final int shardId) {
        this.genesis = genesis;
        this.shardId = shardId;
        this.timeMs = genesis.genesisTimeMs();
        for (final Genesis.Allocation a : genesis.allocationsOn(shardId, k -> Shards.shardOf(k, genesis.shardCount()))) {
            balances.merge(a.account(), a.amount(), Long::sum);
        }
    }

    @Override
    public synchronized void apply(final CommittedSubDag subDag, final ExecutionListener listener) {
        assert subDag.height() == height + 1;
        timeMs = Math.max(timeMs, subDag.consensusTimeMs());
        for (final Block block : subDag.blocks()) {
            for (int i = 0; i < block.transactionCount(); i++) {
                final byte[] txId = txId(block.encoded(), block.transactionOffset(i), block.transactionLength(i));
                final ExecResult result = execute(block.encoded(), block.transactionOffset(i), txId);
                listener.onExecuted(txId, 0, result, subDag.height(), timeMs);
            }
        }
        height = subDag.height();
        digest = stateDigest0();
        digestByHeight.put(height, HexFormat.of().formatHex(digest));
        listener.onHeight(height, digest, timeMs);
    }

    private ExecResult execute(final byte[] bytes, final int offset, final byte[] txId) {
        final ByteBuffer key = ByteBuffer.wrap(txId);
        if (executed.containsKey(key)) {
            return ExecResult.DUPLICATE;
        }
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        ExecResult result = ExecResult.UNSUPPORTED;
        if (Templates.templateId(view, offset) == Templates.TRANSFER) {
            transfer.wrapAndApplyHeader(view, offset, header);
            final String from = hex(view, offset + Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.fromEncodingOffset());
            final String to = hex(view, offset + Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.toEncodingOffset());
            final long need = transfer.amount() + genesis.fee();
            final long has = balances.getOrDefault(from, 0L);
            if (transfer.expiryMs() < timeMs) {
                result = ExecResult.EXPIRED;
            } else if (has < need) {
                result = ExecResult.INSUFFICIENT_BALANCE;
            } else {
                balances.put(from, has - need);
                balances.merge(to, transfer.amount(), Long::sum);
                result = ExecResult.SUCCESS;
            }
        }
        executed.put(key, new TxRecord(result, height + 1, timeMs));
        return result;
    }

    private static String hex(final UnsafeBuffer view, final int offset) {
        final byte[] key = new byte[32];
        view.getBytes(offset, key);
        return HexFormat.of().formatHex(key);
    }

    private byte[] txId(final byte[] bytes, final int offset, final int length) {
        final int signed = SignedRegion.signedLength(new UnsafeBuffer(bytes), offset, length);
        final byte[] id = new byte[32];
        sha.digest(bytes, offset, signed, id, 0);
        return id;
    }

    private byte[] stateDigest0() {
        final StringBuilder all = new StringBuilder();
        balances.forEach((k, v) -> all.append(k).append('=').append(v).append(';'));
        final byte[] text = all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final byte[] out = new byte[32];
        sha.digest(text, 0, text.length, out, 0);
        return out;
    }

    synchronized String digestAt(final long h) {
        return digestByHeight.get(h);
    }

    @Override
    public synchronized long appliedHeight() {
        return height;
    }

    @Override
    public synchronized byte[] stateDigest() {
        return digest.clone();
    }

    @Override
    public synchronized long consensusTimeMs() {
        return timeMs;
    }

    @Override
    public synchronized Map<Integer, Long> balances(final byte[] account) {
        final Long balance = balances.get(HexFormat.of().formatHex(account));
        return balance == null || balance == 0 ? Map.of() : Map.of(0, balance);
    }

    @Override
    public synchronized RejectCode precheck(final byte[] tx, final int offset, final int length) {
        final UnsafeBuffer view = new UnsafeBuffer(tx);
        if (Templates.templateId(view, offset) != Templates.TRANSFER) {
            return RejectCode.UNSUPPORTED;
        }
        final TransferDecoder d = new TransferDecoder().wrapAndApplyHeader(view, offset, new MessageHeaderDecoder());
        if (d.networkId() != genesis.networkId()) {
            return RejectCode.WRONG_NETWORK;
        }
        final String from = hex(view, offset + Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.fromEncodingOffset());
        if (Shards.shardOf(HexFormat.of().parseHex(from), genesis.shardCount()) != shardId) {
            return RejectCode.WRONG_SHARD;
        }
        if (d.expiryMs() <= timeMs) {
            return RejectCode.EXPIRED;
        }
        if (balances.getOrDefault(from, 0L) < genesis.fee()) {
            return RejectCode.INSUFFICIENT_FEE_BALANCE;
        }
        return RejectCode.NONE;
    }

    @Override
    public synchronized TxRecord executed(final byte[] txId) {
        return executed.get(ByteBuffer.wrap(txId));
    }

    @Override
    public void close() {
    }
}
