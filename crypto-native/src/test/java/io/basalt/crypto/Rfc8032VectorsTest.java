package io.basalt.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 8032 §7.1 (TEST 1, 2, 3, 1024, SHA(abc)) against both providers: exact keys and signatures, VALID. */
class Rfc8032VectorsTest
{
    record Vector(String name, byte[] seed, byte[] publicKey, byte[] message, byte[] signature)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    static List<Vector> vectors() throws IOException
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
            Rfc8032VectorsTest.class.getResourceAsStream("rfc8032-ed25519.txt")), StandardCharsets.US_ASCII)))
        {
            return reader.lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("\\|", -1))
                .map(f -> new Vector(f[0], Hex.decode(f[1]), Hex.decode(f[2]), Hex.decode(f[3]), Hex.decode(f[4])))
                .toList();
        }
    }

    static Stream<Vector> vectorStream() throws IOException
    {
        return vectors().stream();
    }

    @ParameterizedTest(name = "Bouncy Castle {0}")
    @MethodSource("vectorStream")
    void bouncyCastle(final Vector vector)
    {
        assertVector(TestProviders.BOUNCY_CASTLE, vector);
    }

    @ParameterizedTest(name = "libsodium {0}")
    @MethodSource("vectorStream")
    void libsodium(final Vector vector)
    {
        assertVector(TestProviders.libsodium(), vector);
    }

    private static void assertVector(final Ed25519 ed25519, final Vector vector)
    {
        final KeyPair keyPair = ed25519.keyPairFromSeed(vector.seed());
        assertArrayEquals(vector.publicKey(), keyPair.publicKey(), "public key");

        // Sign into the middle of a larger buffer to exercise the offsets.
        final byte[] framed = new byte[3 + vector.message().length + 5];
        System.arraycopy(vector.message(), 0, framed, 3, vector.message().length);
        final byte[] signatureBuffer = new byte[Ed25519.SIGNATURE_BYTES + 7];
        ed25519.sign(keyPair, framed, 3, vector.message().length, signatureBuffer, 7);
        assertArrayEquals(vector.signature(),
            java.util.Arrays.copyOfRange(signatureBuffer, 7, 7 + Ed25519.SIGNATURE_BYTES), "signature");

        assertEquals(SignatureCheck.VALID, ed25519.check(vector.publicKey(), vector.message(), vector.signature()));
        assertEquals(SignatureCheck.VALID, ed25519.check(
            vector.publicKey(), framed, 3, vector.message().length, vector.signature()));
        assertEquals(SignatureCheck.VALID, ed25519.check(
            vector.publicKey(), 0, framed, 3, vector.message().length, signatureBuffer, 7));
    }
}
