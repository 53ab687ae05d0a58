package io.basalt.xshard;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.basalt.protocol.DecodeError;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.Templates;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the cross-shard relay's inbound path (docs/fuzzing.md). Contract:
 * {@link CrossShardRelay#onMessage} takes any bytes from any claimed sender and never throws; whatever
 * it proposes is a CertifiedMessage that passes {@link MessageValidator} and {@link CertificateCheck}.
 * The certificate check alone is {@link CertificateCheckFuzz}, which shares this class's committees
 * and stand-in signatures.
 *
 * <p>Signatures here are stand-ins: a "signature" is the 32-byte digest followed by the signer's
 * index. A fuzzer cannot forge Ed25519, so with real keys it would never pass the signature check and
 * never reach the collection and certificate logic behind it; real signatures are tested in
 * CrossShardRelayTest.
 *
 * <p>Input framing of {@link #onMessage} (so that seeds are plain files): repeated
 * {@code fromShard u8 | fromValidator u8 | length u16 LE | message bytes}; a frame cut short ends the run.
 */
final class CrossShardRelayFuzz {
    static final int NETWORK = 7;
    static final int SHARDS = 3;
    static final int N = 4;
    private static final long MS = 1_000_000L;

    static final ShardCommittees COMMITTEES = committees();
    static final SignatureVerifier VERIFIER = (key, message, offset, length, signature, signatureOffset) ->
        Arrays.equals(message, offset, offset + length, signature, signatureOffset, signatureOffset + length)
            && Arrays.equals(key, 0, 32, signature, signatureOffset + 32, signatureOffset + 64);

    @FuzzTest(maxDuration = "60s")
    void onMessage(final byte[] data) {
        final List<byte[]> proposed = new ArrayList<>();
        final CrossShardRelay relay = relay(1, 0, proposed);
        int p = 0;
        long nowNs = 0;
        while (p + 4 <= data.length) {
            final int fromShard = data[p] & 0xFF;
            final int fromValidator = data[p + 1] & 0xFF;
            final int length = (data[p + 2] & 0xFF) | (data[p + 3] & 0xFF) << 8;
            p += 4;
            if (p + length > data.length) {
                break;
            }
            relay.onMessage(fromShard % (SHARDS + 1), fromValidator % (N + 2), Arrays.copyOfRange(data, p, p + length), nowNs);
            p += length;
            nowNs += 10 * MS;
            relay.tick(nowNs);
        }
        final CertificateCheck check = new CertificateCheck(NETWORK, COMMITTEES, VERIFIER);
        for (final byte[] certified : proposed) {
            final UnsafeBuffer view = new UnsafeBuffer(certified);
            assertEquals(DecodeError.OK, MessageValidator.validate(view, 0, certified.length, Templates.CERTIFIED_MESSAGE));
            assertEquals(CertificateCheck.Verdict.OK, check.check(view, 0, certified.length, 1));
        }
    }

    /** The stand-in signature of {@code validator} of {@code shard} on a digest. */
    static byte[] sign(final int shard, final int validator, final byte[] digest) {
        final byte[] signature = new byte[64];
        System.arraycopy(digest, 0, signature, 0, 32);
        System.arraycopy(COMMITTEES.publicKey(shard, validator), 0, signature, 32, 32);
        return signature;
    }

    static CrossShardRelay relay(final int shard, final int self, final List<byte[]> proposed) {
        final CrossShardRelay.Outbox outbox = new CrossShardRelay.Outbox() {
            @Override
            public void send(final int toShard, final int validator, final byte[] message) {
            }

            @Override
            public void propose(final byte[] certifiedMessage) {
                proposed.add(certifiedMessage);
            }

            @Override
            public void acknowledged(final int destShard, final long seq, final byte[] prefix) {
            }
        };
        return new CrossShardRelay(NETWORK, shard, self, COMMITTEES, VERIFIER,
            digest -> sign(shard, self, digest), outbox, RelayConfig.defaults());
    }

    private static ShardCommittees committees() {
        final byte[][][] keys = new byte[SHARDS][N][32];
        for (int s = 0; s < SHARDS; s++) {
            for (int v = 0; v < N; v++) {
                Arrays.fill(keys[s][v], (byte) (16 * s + v + 1));
            }
        }
        return ShardCommittees.ofEqualStake(keys);
    }
}
