package io.basalt.protocol;

import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.BlockRequestDecoder;
import io.basalt.protocol.sbe.BlockResponseDecoder;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.SwapVote;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Damaged input: the validator returns a DecodeError (the predicted one where the damage determines
 * it) and never throws. Every mutated message is validated in a buffer that ends exactly where the
 * region ends, so a read past the region would throw IndexOutOfBoundsException and fail the property.
 */
class MutationProperties
{
    /** A valid message and the template it was built as. */
    record Sample(int templateId, byte[] bytes)
    {
        @Override
        public String toString()
        {
            return "template " + templateId + ", " + bytes.length + " bytes";
        }
    }

    @Provide
    Arbitrary<Sample> samples()
    {
        return Combinators.combine(Arbitraries.integers().between(0, Samples.TEMPLATES.length - 1), Arbitraries.longs())
            .as((kind, seed) -> new Sample(Samples.TEMPLATES[kind], Samples.message(kind, new Random(seed))));
    }

    @Property
    void samplesAreValid(@ForAll("samples") final Sample sample)
    {
        assertEquals(DecodeError.OK, validateExact(sample.bytes(), 0, sample.bytes().length));
    }

    @Property(tries = 300)
    void everyStrictPrefixIsTruncated(@ForAll("samples") final Sample sample, @ForAll @IntRange(max = 16) final int offset)
    {
        final byte[] bytes = sample.bytes();
        final UnsafeBuffer whole = placed(bytes, offset);
        for (int cut = 0; cut < bytes.length; cut++)
        {
            // With the rest of the message still in the buffer: only the region counts.
            assertEquals(DecodeError.TRUNCATED, MessageValidator.validate(whole, offset, cut), "cut at " + cut);
            // With the buffer ending at the cut: a read past the region would throw.
            assertEquals(DecodeError.TRUNCATED, validateExact(bytes, offset, cut), "cut at " + cut);
        }
    }

    @Property
    void appendedBytesAreTrailing(@ForAll("samples") final Sample sample, @ForAll @Size(min = 1, max = 40) final byte[] extra)
    {
        final byte[] longer = Arrays.copyOf(sample.bytes(), sample.bytes().length + extra.length);
        System.arraycopy(extra, 0, longer, sample.bytes().length, extra.length);
        assertEquals(DecodeError.TRAILING_BYTES, validateExact(longer, 0, longer.length));
    }

    @Property
    void headerDamageIsNamed(
        @ForAll("samples") final Sample sample, @ForAll @IntRange(max = 7) final int bytePosition,
        @ForAll @IntRange(max = 7) final int bit)
    {
        final byte[] bytes = sample.bytes().clone();
        bytes[bytePosition] ^= (byte)(1 << bit);
        final DecodeError error = validateExact(bytes, 0, bytes.length);
        switch (bytePosition)
        {
            case 0, 1 -> assertEquals(DecodeError.BAD_BLOCK_LENGTH, error);
            // Another known template differs in root length; an unknown one is unknown.
            case 2, 3 -> assertEquals(
                rootLengthOf(u16(bytes, 2)) < 0 ? DecodeError.UNKNOWN_TEMPLATE : DecodeError.BAD_BLOCK_LENGTH, error);
            case 4, 5 -> assertEquals(DecodeError.UNKNOWN_SCHEMA, error);
            default -> assertEquals(DecodeError.UNSUPPORTED_VERSION, error);
        }
    }

    @Property
    void rootBlockLengthMustBeTheSchemas(@ForAll("samples") final Sample sample, @ForAll @IntRange(max = 0xFFFF) final int blockLength)
    {
        final byte[] bytes = sample.bytes().clone();
        final int original = u16(bytes, 0);
        put16(bytes, 0, blockLength);
        assertEquals(blockLength == original ? DecodeError.OK : DecodeError.BAD_BLOCK_LENGTH, validateExact(bytes, 0, bytes.length));
    }

    @Property
    void groupBlockLengthMustBeTheSchemas(@ForAll("samples") final Sample sample, @ForAll @IntRange(min = 1, max = 0xFFFF) final int delta)
    {
        for (final int group : groupHeaders(sample))
        {
            final byte[] bytes = sample.bytes().clone();
            put16(bytes, group, u16(bytes, group) + delta);
            assertEquals(DecodeError.BAD_BLOCK_LENGTH, validateExact(bytes, 0, bytes.length), "group at " + group);
        }
    }

    @Property
    void hugeCountsAreRejected(@ForAll("samples") final Sample sample, @ForAll @IntRange(min = 4097, max = 0xFFFF) final int count)
    {
        final List<Integer> groups = groupHeaders(sample);
        for (int i = 0; i < groups.size(); i++)
        {
            final int group = groups.get(i);
            final byte[] bytes = sample.bytes().clone();
            put16(bytes, group + 2, count);
            final boolean signatures = Templates.isSigned(sample.templateId()) && i == groups.size() - 1;
            assertEquals(signatures ? DecodeError.BAD_SIGNATURE_COUNT : DecodeError.COUNT_OUT_OF_RANGE,
                validateExact(bytes, 0, bytes.length), "group at " + group);
        }
    }

    @Property
    void bitFlipsNeverThrow(
        @ForAll("samples") final Sample sample, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) final int position,
        @ForAll @IntRange(max = 7) final int bit)
    {
        final byte[] bytes = sample.bytes().clone();
        bytes[position % bytes.length] ^= (byte)(1 << bit);
        assertNotNull(validateExact(bytes, 0, bytes.length));
    }

    @Property
    void overwrittenWindowsNeverThrow(
        @ForAll("samples") final Sample sample, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) final int position,
        @ForAll @Size(min = 1, max = 16) final byte[] noise)
    {
        final byte[] bytes = sample.bytes().clone();
        final int start = position % bytes.length;
        System.arraycopy(noise, 0, bytes, start, Math.min(noise.length, bytes.length - start));
        assertNotNull(validateExact(bytes, 0, bytes.length));
    }

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 600) final byte[] bytes)
    {
        assertNotEquals(DecodeError.OK, validateExact(bytes, 0, bytes.length));
    }

    /** Random bodies behind a plausible header reach the template-specific checks. */
    @Property
    void randomBodiesBehindValidHeadersNeverThrow(
        @ForAll @IntRange(max = Integer.MAX_VALUE) final int kind, @ForAll @Size(max = 600) final byte[] body)
    {
        final int templateId = Samples.TEMPLATES[kind % Samples.TEMPLATES.length];
        final byte[] bytes = new byte[Layout.MESSAGE_HEADER_LENGTH + body.length];
        put16(bytes, 0, rootLengthOf(templateId));
        put16(bytes, 2, templateId);
        put16(bytes, 4, Templates.SCHEMA_ID);
        put16(bytes, 6, Templates.SCHEMA_VERSION);
        System.arraycopy(body, 0, bytes, Layout.MESSAGE_HEADER_LENGTH, body.length);
        assertNotNull(validateExact(bytes, 0, bytes.length));
    }

    @Property
    void corruptedTransactionInsideBlockIsInvalidNested(
        @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) final int txCount, @ForAll @IntRange(max = 5) final int damage)
    {
        final byte[] block = Samples.block(new Random(seed), 2, txCount);
        final int tx = firstTransactionOffset(block);
        final int txLength = u16(block, tx - Layout.TX_LENGTH_PREFIX);
        final int signatures = tx + SignedRegion.signedLength(new UnsafeBuffer(block), tx, txLength);
        switch (damage)
        {
            case 0 -> put16(block, tx + 4, 99);                                  // schemaId
            case 1 -> put16(block, tx + 6, 1);                                   // version
            case 2 -> put16(block, tx, u16(block, tx) + 1);                      // root blockLength
            case 3 -> put16(block, tx + 2, Templates.BLOCK);                     // a block is not a transaction
            case 4 -> put16(block, signatures + 2, 0);                           // no signatures
            default -> put16(block, signatures, u16(block, signatures) + 1);     // signature entry length
        }
        final DecodeError error = validateExact(block, 0, block.length);
        assertEquals(DecodeError.INVALID_NESTED, error, "damage " + damage);
    }

    @Property
    void corruptedSwapInsideVoteIsInvalidNested(
        @ForAll long seed, @ForAll @IntRange(max = 3) final int receipts, @ForAll @IntRange(min = 1, max = 3) final int votes,
        @ForAll @IntRange(max = 2) final int damagedVote, @ForAll @IntRange(max = 5) final int damage)
    {
        final byte[] message = Samples.certified(new Random(seed), receipts, votes, 2);
        final int vote = voteEntry(message, damagedVote % votes);
        final int swap = vote + Layout.VOTE_ENTRY_LENGTH + Layout.TX_LENGTH_PREFIX;
        final int signatures = swap + Layout.SWAP_LENGTH - Layout.GROUP_HEADER_LENGTH - 2 * Layout.SIGNATURE_ENTRY_LENGTH;
        switch (damage)
        {
            case 0 -> put16(message, swap + 4, 99);                                 // schemaId
            case 1 -> put16(message, swap + 6, 1);                                  // version
            case 2 -> put16(message, swap, u16(message, swap) + 1);                 // root blockLength
            case 3 -> put16(message, swap + 2, Templates.TRANSFER);                 // not a Swap
            case 4 -> put16(message, signatures + 2, 1);                            // one signature of two
            default -> put16(message, signatures, u16(message, signatures) + 1);    // signature entry length
        }
        assertEquals(DecodeError.INVALID_NESTED, validateExact(message, 0, message.length), "damage " + damage);
    }

    @Property
    void onlyDeclaredVoteValuesAreValid(
        @ForAll long seed, @ForAll @IntRange(min = 1, max = 3) final int votes, @ForAll @IntRange(max = 2) final int changedVote,
        @ForAll @IntRange(max = 255) final int value)
    {
        final Random random = new Random(seed);
        final byte[] message = Samples.certified(random, random.nextInt(3), votes, 1 + random.nextInt(3));
        message[voteEntry(message, changedVote % votes) + CertifiedMessageDecoder.VotesDecoder.voteEncodingOffset()] = (byte)value;
        final boolean declared = value == SwapVote.PREPARED.value() || value == SwapVote.ABORT.value();
        assertEquals(declared ? DecodeError.OK : DecodeError.BAD_ENUM, validateExact(message, 0, message.length));
    }

    @Property
    void corruptedBlockInsideResponseIsInvalidNested(@ForAll long seed, @ForAll @IntRange(max = 7) final int headerByte)
    {
        final Random random = new Random(seed);
        final byte[] block = Samples.block(random, 1, 1);
        block[headerByte] ^= 0x40;
        final byte[] response = Samples.blockResponse(random.nextLong(), 3, new byte[][] { block });
        assertEquals(DecodeError.INVALID_NESTED, validateExact(response, 0, response.length));
    }

    @Property
    void transactionsInsideResponsesAreCheckedToo(@ForAll long seed)
    {
        final Random random = new Random(seed);
        final byte[] block = Samples.block(random, 0, 1);
        final int tx = firstTransactionOffset(block);
        put16(block, tx + 4, 7);
        final byte[] response = Samples.blockResponse(random.nextLong(), 3, new byte[][] { block });
        assertEquals(DecodeError.INVALID_NESTED, validateExact(response, 0, response.length));
    }

    // ---------------------------------------------------------------------------------------------

    /** Validates {@code bytes[0, length)} placed at {@code offset} in a buffer of exactly offset + length bytes. */
    static DecodeError validateExact(final byte[] bytes, final int offset, final int length)
    {
        final byte[] exact = new byte[offset + length];
        System.arraycopy(bytes, 0, exact, offset, length);
        return MessageValidator.validate(new UnsafeBuffer(exact), offset, length);
    }

    private static UnsafeBuffer placed(final byte[] bytes, final int offset)
    {
        final byte[] array = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, array, offset, bytes.length);
        return new UnsafeBuffer(array);
    }

    /** Positions of the group headers of a valid sample, in encoding order (top level only). */
    static List<Integer> groupHeaders(final Sample sample)
    {
        final byte[] bytes = sample.bytes();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int root = Layout.MESSAGE_HEADER_LENGTH;
        final List<Integer> groups = new ArrayList<>();
        switch (sample.templateId())
        {
            case Templates.TRANSFER, Templates.CREATE_ASSET, Templates.SWAP ->
                groups.add(SignedRegion.signedLength(buffer, 0, bytes.length));
            case Templates.CERTIFIED_MESSAGE ->
            {
                final int receipts = root + CertifiedMessageDecoder.BLOCK_LENGTH;
                groups.add(receipts);
                groups.add(receipts + Layout.GROUP_HEADER_LENGTH + u16(bytes, receipts + 2) * Layout.RECEIPT_ENTRY_LENGTH);
                groups.add(SignedRegion.signedLength(buffer, 0, bytes.length));
            }
            case Templates.BLOCK ->
            {
                final int parents = root + BlockDecoder.BLOCK_LENGTH;
                groups.add(parents);
                groups.add(parents + Layout.GROUP_HEADER_LENGTH + u16(bytes, parents + 2) * Layout.PARENT_ENTRY_LENGTH);
                groups.add(SignedRegion.signedLength(buffer, 0, bytes.length));
            }
            case Templates.BLOCK_REQUEST -> groups.add(root + BlockRequestDecoder.BLOCK_LENGTH);
            case Templates.BLOCK_RESPONSE -> groups.add(root + BlockResponseDecoder.BLOCK_LENGTH);
            default ->
            {
            }
        }
        return groups;
    }

    /** Index of entry {@code vote} of a certified message's votes group (every vote carries a Swap). */
    static int voteEntry(final byte[] message, final int vote)
    {
        final int receipts = Layout.MESSAGE_HEADER_LENGTH + CertifiedMessageDecoder.BLOCK_LENGTH;
        final int votes = receipts + Layout.GROUP_HEADER_LENGTH + u16(message, receipts + 2) * Layout.RECEIPT_ENTRY_LENGTH;
        return votes + Layout.GROUP_HEADER_LENGTH + vote * (Layout.VOTE_ENTRY_LENGTH + Layout.TX_LENGTH_PREFIX + Layout.SWAP_LENGTH);
    }

    static int firstTransactionOffset(final byte[] block)
    {
        final int parents = Layout.MESSAGE_HEADER_LENGTH + BlockDecoder.BLOCK_LENGTH;
        final int transactions = parents + Layout.GROUP_HEADER_LENGTH + u16(block, parents + 2) * Layout.PARENT_ENTRY_LENGTH;
        return transactions + Layout.GROUP_HEADER_LENGTH + Layout.TX_LENGTH_PREFIX;
    }

    static int rootLengthOf(final int templateId)
    {
        for (final int template : Samples.TEMPLATES)
        {
            if (template == templateId)
            {
                return u16(Samples.message(indexOf(template), new Random(0)), 0);
            }
        }
        return -1;
    }

    private static int indexOf(final int templateId)
    {
        for (int i = 0; i < Samples.TEMPLATES.length; i++)
        {
            if (Samples.TEMPLATES[i] == templateId)
            {
                return i;
            }
        }
        throw new IllegalArgumentException("template " + templateId);
    }

    static int u16(final byte[] bytes, final int index)
    {
        return new UnsafeBuffer(bytes).getShort(index, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    static void put16(final byte[] bytes, final int index, final int value)
    {
        new UnsafeBuffer(bytes).putShort(index, (short)value, ByteOrder.LITTLE_ENDIAN);
    }
}
