package io.basalt.xshard;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.Templates;
import org.agrona.concurrent.UnsafeBuffer;

import static io.basalt.xshard.CrossShardRelayFuzz.COMMITTEES;
import static io.basalt.xshard.CrossShardRelayFuzz.NETWORK;
import static io.basalt.xshard.CrossShardRelayFuzz.SHARDS;
import static io.basalt.xshard.CrossShardRelayFuzz.VERIFIER;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the certificate check a destination runs on every proposed batch
 * (docs/fuzzing.md). Contract: {@link CertificateCheck#check} answers a verdict for every
 * CertifiedMessage the validator accepts, and OK only for a batch from another existing shard.
 * Signatures are {@link CrossShardRelayFuzz}'s stand-ins (a fuzzer cannot forge Ed25519).
 */
final class CertificateCheckFuzz {
    @FuzzTest(maxDuration = "60s")
    void check(final byte[] data) {
        final UnsafeBuffer view = new UnsafeBuffer(data);
        if (!MessageValidator.validate(view, 0, data.length, Templates.CERTIFIED_MESSAGE).isOk()) {
            return;
        }
        final CertificateCheck.Verdict verdict = new CertificateCheck(NETWORK, COMMITTEES, VERIFIER).check(view, 0, data.length, 1);
        assertNotNull(verdict);
        if (verdict == CertificateCheck.Verdict.OK) {
            assertTrue(BatchCodec.sourceShard(view, 0) != 1 && BatchCodec.sourceShard(view, 0) < SHARDS);
        }
    }
}
