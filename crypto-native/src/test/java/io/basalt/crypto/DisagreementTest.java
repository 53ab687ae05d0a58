package io.basalt.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import io.basalt.crypto.EdwardsReference.Point;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.basalt.crypto.EdwardsReference.BASE;
import static io.basalt.crypto.EdwardsReference.L;
import static io.basalt.crypto.EdwardsReference.TORSION8;
import static io.basalt.crypto.EdwardsReference.add;
import static io.basalt.crypto.EdwardsReference.challenge;
import static io.basalt.crypto.EdwardsReference.encode;
import static io.basalt.crypto.EdwardsReference.multiply;
import static io.basalt.crypto.EdwardsReference.signature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where libsodium 1.0.18 and Bouncy Castle 1.87 disagree when called directly, and proof that the facade removes
 * every such disagreement: the 12 "Taming the many EdDSAs" vectors plus constructed torsion cases. Prints the table
 * that README.md reproduces.
 */
class DisagreementTest
{
    record Case(String name, byte[] message, byte[] publicKey, byte[] signature, SignatureCheck expected)
    {
    }

    record Row(Case testCase, boolean rawSodium, boolean rawBouncy, SignatureCheck viaSodium, SignatureCheck viaBouncy)
    {
    }

    private static Ed25519Provider sodium;

    @BeforeAll
    static void requireLibsodium()
    {
        sodium = TestProviders.libsodiumProvider();
    }

    /** Expected facade answer per speccheck case: the first strict rule each one breaks. */
    private static final SignatureCheck[] SPECCHECK_EXPECTED = {
        SignatureCheck.SMALL_ORDER_KEY,   // 0: S = 0, small-order A and R
        SignatureCheck.SMALL_ORDER_KEY,   // 1: small-order A, mixed-order R
        SignatureCheck.SMALL_ORDER_R,     // 2: mixed-order A, small-order R
        SignatureCheck.INVALID_KEY_POINT, // 3: mixed-order A and R, passes cofactorless
        SignatureCheck.INVALID_KEY_POINT, // 4: mixed-order A and R, passes cofactored only
        SignatureCheck.INVALID_KEY_POINT, // 5: mixed-order A, prime-order R, passes cofactored only
        SignatureCheck.NON_CANONICAL_S,   // 6: S >= L, valid once reduced
        SignatureCheck.NON_CANONICAL_S,   // 7: S >> L
        SignatureCheck.NON_CANONICAL_R,   // 8: mixed-order A, R = negative-zero encoding of (0, -1)
        SignatureCheck.NON_CANONICAL_R,   // 9: same, equations hold
        SignatureCheck.NON_CANONICAL_KEY, // 10: A = negative-zero encoding of (0, -1), mixed-order R
        SignatureCheck.NON_CANONICAL_KEY, // 11: same, equations hold
    };

    static List<Case> speccheckCases() throws IOException
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
            DisagreementTest.class.getResourceAsStream("speccheck-cases.txt")), StandardCharsets.US_ASCII)))
        {
            return reader.lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("\\|"))
                .map(f -> new Case("speccheck " + f[0], Hex.decode(f[1]), Hex.decode(f[2]), Hex.decode(f[3]),
                    SPECCHECK_EXPECTED[Integer.parseInt(f[0])]))
                .toList();
        }
    }

    @Test
    void speccheckVectorsGetTheSameExpectedAnswerFromBothProviders() throws IOException
    {
        final List<Case> cases = speccheckCases();
        assertEquals(12, cases.size());
        final List<Row> rows = evaluate(cases);
        print("speccheck", rows);
        rows.forEach(DisagreementTest::assertFacadeAgrees);
    }

    @Test
    void constructedTorsionCasesExposeRawDisagreementThatTheFacadeRemoves()
    {
        final List<Row> rows = evaluate(constructedCases(new Random(20260521L)));
        print("constructed", rows);
        rows.forEach(DisagreementTest::assertFacadeAgrees);
        // The libraries themselves do disagree on these inputs; otherwise the cases would not test anything.
        assertTrue(rows.stream().anyMatch(r -> r.rawSodium() != r.rawBouncy()), "expected raw disagreements");
    }

    @Test
    void torsionPointIsOfOrderEight()
    {
        assertNotNull(TORSION8);
        assertTrue(multiply(BigInteger.valueOf(8), TORSION8).isIdentity());
        assertTrue(!multiply(BigInteger.valueOf(4), TORSION8).isIdentity());
        assertTrue(multiply(L, BASE).isIdentity());
    }

    /** Every small-order point's encoding is on the facade's blacklist; every multiple of T8 is small. */
    @Test
    void allEightSmallOrderPointsAreRejected()
    {
        final byte[] message = new byte[]{ 1, 2, 3 };
        for (int j = 0; j < 8; j++)
        {
            final byte[] point = encode(multiply(BigInteger.valueOf(j), TORSION8));
            assertTrue(StrictEncoding.isCanonicalPoint(point, 0));
            assertTrue(StrictEncoding.hasSmallOrder(point, 0), "j=" + j);
            final byte[] sig = signature(point, BigInteger.ONE);
            assertEquals(SignatureCheck.SMALL_ORDER_KEY, TestProviders.BOUNCY_CASTLE.check(point, message, sig));
        }
    }

    private static List<Case> constructedCases(final Random random)
    {
        final byte[] seed = new byte[32];
        random.nextBytes(seed);
        final BigInteger a = EdwardsReference.expandSeed(seed)[0];
        final Point primeA = multiply(a, BASE);
        final Point mixedA = add(primeA, TORSION8);
        final List<Case> cases = new ArrayList<>();

        cases.add(mixedKeyTorsionLeftOver(random, a, mixedA));
        cases.add(mixedKeyTorsionCancelled(random, a, mixedA));
        cases.add(mixedR(random, a, primeA));
        cases.add(smallOrderR(random, a, primeA));
        cases.add(nonCanonicalR(random, a, primeA));
        cases.add(nonCanonicalKey(random, a, mixedA));
        return cases;
    }

    /** A = aB + T8, R = rB: the cofactored equation holds, the cofactorless one only if 8 divides k. */
    private static Case mixedKeyTorsionLeftOver(final Random random, final BigInteger a, final Point mixedA)
    {
        final byte[] encodedA = encode(mixedA);
        while (true)
        {
            final byte[] message = randomMessage(random);
            final BigInteger r = new BigInteger(256, random).mod(L);
            final byte[] encodedR = encode(multiply(r, BASE));
            final BigInteger k = challenge(encodedR, encodedA, message);
            if (k.mod(BigInteger.valueOf(8)).signum() != 0)
            {
                return new Case("mixed-order A, torsion not cancelled", message, encodedA,
                    signature(encodedR, r.add(k.multiply(a)).mod(L)), SignatureCheck.INVALID_KEY_POINT);
            }
        }
    }

    /** A = aB + T8, R = rB + [j]T8 with j + k = 0 mod 8: passes both equations, still not prime order. */
    private static Case mixedKeyTorsionCancelled(final Random random, final BigInteger a, final Point mixedA)
    {
        final byte[] encodedA = encode(mixedA);
        final byte[] message = randomMessage(random);
        while (true)
        {
            final BigInteger r = new BigInteger(256, random).mod(L);
            final int j = random.nextInt(8);
            final byte[] encodedR = encode(add(multiply(r, BASE), multiply(BigInteger.valueOf(j), TORSION8)));
            final BigInteger k = challenge(encodedR, encodedA, message);
            if (k.add(BigInteger.valueOf(j)).mod(BigInteger.valueOf(8)).signum() == 0 &&
                !StrictEncoding.hasSmallOrder(encodedR, 0))
            {
                return new Case("mixed-order A and R, torsion cancelled", message, encodedA,
                    signature(encodedR, r.add(k.multiply(a)).mod(L)), SignatureCheck.INVALID_KEY_POINT);
            }
        }
    }

    /** Prime-order A, R = rB + T8: cofactored holds, cofactorless never does. */
    private static Case mixedR(final Random random, final BigInteger a, final Point primeA)
    {
        final byte[] encodedA = encode(primeA);
        final byte[] message = randomMessage(random);
        final BigInteger r = new BigInteger(256, random).mod(L);
        final byte[] encodedR = encode(add(multiply(r, BASE), TORSION8));
        final BigInteger k = challenge(encodedR, encodedA, message);
        return new Case("prime-order A, mixed-order R", message, encodedA,
            signature(encodedR, r.add(k.multiply(a)).mod(L)), SignatureCheck.INVALID);
    }

    /** Prime-order A, R = T8 (small order), S = k·a: cofactored holds ([8]R vanishes), libsodium blacklists R. */
    private static Case smallOrderR(final Random random, final BigInteger a, final Point primeA)
    {
        final byte[] encodedA = encode(primeA);
        final byte[] message = randomMessage(random);
        final byte[] encodedR = encode(TORSION8);
        final BigInteger k = challenge(encodedR, encodedA, message);
        return new Case("prime-order A, small-order R, S = ka", message, encodedA,
            signature(encodedR, k.multiply(a).mod(L)), SignatureCheck.SMALL_ORDER_R);
    }

    /** R written with y + p instead of y, for a point with y &lt; 19 (such points exist; they carry torsion). */
    private static Case nonCanonicalR(final Random random, final BigInteger a, final Point primeA)
    {
        final byte[] encodedA = encode(primeA);
        final byte[] message = randomMessage(random);
        final byte[] encodedR = nonCanonicalEncodingOfSmallY();
        final BigInteger k = challenge(encodedR, encodedA, message);
        final BigInteger r = new BigInteger(256, random).mod(L);
        return new Case("R encoded with y >= p", message, encodedA,
            signature(encodedR, r.add(k.multiply(a)).mod(L)), SignatureCheck.NON_CANONICAL_R);
    }

    private static Case nonCanonicalKey(final Random random, final BigInteger a, final Point mixedA)
    {
        final byte[] message = randomMessage(random);
        final byte[] encodedA = nonCanonicalEncodingOfSmallY();
        final byte[] encodedR = encode(multiply(BigInteger.TEN, BASE));
        return new Case("A encoded with y >= p", message, encodedA,
            signature(encodedR, a.mod(L)), SignatureCheck.NON_CANONICAL_KEY);
    }

    private static byte[] nonCanonicalEncodingOfSmallY()
    {
        for (int y = 2; y < 19; y++)
        {
            final byte[] encoding = EdwardsReference.toLittleEndian(EdwardsReference.P.add(BigInteger.valueOf(y)));
            if (EdwardsReference.decode(encoding) != null)
            {
                return encoding;
            }
        }
        throw new AssertionError("no point with y in [2, 19)");
    }

    private static byte[] randomMessage(final Random random)
    {
        final byte[] message = new byte[1 + random.nextInt(64)];
        random.nextBytes(message);
        return message;
    }

    private static List<Row> evaluate(final List<Case> cases)
    {
        final Ed25519 viaSodium = new Ed25519(sodium);
        return cases.stream().map(c -> new Row(c,
            sodium.verifyCofactorless(c.publicKey(), 0, c.message(), 0, c.message().length, c.signature(), 0),
            BouncyCastleEd25519.rawVerify(c.publicKey(), c.message(), c.signature()),
            viaSodium.check(c.publicKey(), c.message(), c.signature()),
            TestProviders.BOUNCY_CASTLE.check(c.publicKey(), c.message(), c.signature()))).toList();
    }

    private static void assertFacadeAgrees(final Row row)
    {
        assertEquals(row.viaSodium(), row.viaBouncy(), row.testCase().name());
        assertEquals(row.testCase().expected(), row.viaSodium(), row.testCase().name());
        assertNotEquals(SignatureCheck.VALID, row.viaSodium(), row.testCase().name());
    }

    private static void print(final String title, final List<Row> rows)
    {
        System.out.println("| " + title + " case | libsodium 1.0.18 raw | Bouncy Castle 1.87 raw | facade (both) |");
        for (final Row row : rows)
        {
            System.out.printf("| %s | %s | %s | %s |%n", row.testCase().name(), word(row.rawSodium()),
                word(row.rawBouncy()), row.viaSodium());
        }
    }

    private static String word(final boolean accepted)
    {
        return accepted ? "accept" : "reject";
    }
}
