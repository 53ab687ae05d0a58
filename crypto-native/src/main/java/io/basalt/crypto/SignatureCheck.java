package io.basalt.crypto;

/**
 * Outcome of {@link Ed25519#check}. Every value but {@link #VALID} rejects the signature; the specific values say
 * which rule of the strict policy (see README.md) the input broke, so that callers can count them in metrics. The
 * facade evaluates the rules in declaration order and reports the first that fails, so the value is a function of
 * the input alone, never of the provider.
 */
public enum SignatureCheck
{
    /** The cofactorless equation [S]B = R + [k]A holds and every strict rule passed. */
    VALID,
    /** Well-formed input, but the equation does not hold (wrong key, message or signature; or R off the curve or
     * not in the prime-order subgroup). */
    INVALID,
    /** The public key is null or not 32 bytes (or its offset leaves fewer than 32 bytes). */
    BAD_KEY_LENGTH,
    /** The signature is null or not 64 bytes (or its offset leaves fewer than 64 bytes). */
    BAD_SIGNATURE_LENGTH,
    /** The message is null or offset/length fall outside it. */
    BAD_MESSAGE_RANGE,
    /** S, the second half of the signature, is not below the group order L. */
    NON_CANONICAL_S,
    /** The public key's y is not below p, or x is zero with the sign bit set. */
    NON_CANONICAL_KEY,
    /** The public key is one of the 8 points of small order (order 1, 2, 4 or 8). */
    SMALL_ORDER_KEY,
    /** R, the first half of the signature, has y not below p, or x zero with the sign bit set. */
    NON_CANONICAL_R,
    /** R is one of the 8 points of small order. */
    SMALL_ORDER_R,
    /** The public key is not on the curve, or it has a torsion component (mixed order): not in the prime-order
     * subgroup. */
    INVALID_KEY_POINT;

    public boolean isValid()
    {
        return this == VALID;
    }
}
