package io.basalt.protocol;

/**
 * Every bound the wire format enforces. {@link MessageValidator} rejects anything above them, so a
 * peer or client cannot make a validator allocate, hash or loop more than these allow.
 *
 * <p>The relations between the limits are checked when this class loads (see {@link #checkRelations()}),
 * so an edit that breaks one fails every test at once instead of surfacing as a rejected block.
 *
 * <p>Transport note: Aeron's largest message is a term length / 8, so carrying a full
 * {@link #MAX_RESPONSE_BYTES} response needs a term of at least 64 MiB on the sync stream.
 */
public final class ProtocolLimits
{
    /** Largest committee (validators per shard). Validator indices on the wire are below this. */
    public static final int MAX_COMMITTEE = 256;

    /** Largest user transaction (templates 1-3). Their sizes are fixed today; this is the ceiling. */
    public static final int MAX_TX_BYTES = 512;

    /** Receipts in one certified cross-shard batch. */
    public static final int MAX_RECEIPTS = 384;

    /** Swap votes in one certified cross-shard batch. */
    public static final int MAX_VOTES = 32;

    /** Signatures in one certificate; signer indices are distinct and below {@link #MAX_COMMITTEE}. */
    public static final int MAX_SIGNATURES = MAX_COMMITTEE;

    /** Largest CertifiedMessage: a full batch of receipts and votes signed by a full committee. */
    public static final int MAX_CERTIFIED_BYTES = Layout.certifiedMessageLength(MAX_RECEIPTS, MAX_VOTES, MAX_SIGNATURES);

    /**
     * Largest opaque payload (the data of one OpaquePayload, template 20) that the consensus-only
     * benchmark orders; comparisons with other consensus systems use payloads of tens of bytes to a
     * few KiB.
     */
    public static final int MAX_OPAQUE_PAYLOAD_BYTES = 4096;

    /** Largest transaction of any kind that a Block may carry. */
    public static final int MAX_BLOCK_TX_BYTES =
        Math.max(Math.max(MAX_TX_BYTES, MAX_CERTIFIED_BYTES), Layout.opaquePayloadLength(MAX_OPAQUE_PAYLOAD_BYTES));

    /**
     * Parents of one block: the 2f+1..n blocks of the previous round plus some older ones, so room for
     * two committees' worth.
     */
    public static final int MAX_PARENTS = 2 * MAX_COMMITTEE;

    /** Transactions in one block. */
    public static final int MAX_BLOCK_TXS = 4096;

    /**
     * Encoded size of one block. Large enough for {@link #MAX_BLOCK_TXS} maximal user transactions
     * with {@link #MAX_PARENTS} parents, so for user traffic the count binds first; blocks carrying
     * certified messages (up to {@link #MAX_CERTIFIED_BYTES} each) are bounded by bytes.
     */
    public static final int MAX_BLOCK_BYTES = 4 * 1024 * 1024;

    /** References in one BlockRequest. */
    public static final int MAX_REQUEST_REFS = 1024;

    /** Rounds covered by one BlockRangeRequest; a lagging validator pages through longer gaps. */
    public static final int MAX_RANGE_ROUNDS = 64;

    /** Blocks in one BlockResponse. */
    public static final int MAX_RESPONSE_BLOCKS = 64;

    /**
     * Encoded size of one BlockResponse. Always fits one maximal block; responders fill responses up
     * to this size and the requester asks again for the rest.
     */
    public static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

    /** Largest message of any template: the first check applied to untrusted bytes. */
    public static final int MAX_MESSAGE_BYTES = MAX_RESPONSE_BYTES;

    /** Largest repeating-group count SBE can carry: numInGroup is uint16 and 65535 is its null value. */
    static final int MAX_NUM_IN_GROUP = 65534;

    /** Largest length a uint16 varData prefix can hold. */
    static final int MAX_VAR_DATA16 = 65535;

    static
    {
        checkRelations();
    }

    private ProtocolLimits()
    {
    }

    /**
     * Checks that the limits are consistent with each other and with the encoding.
     *
     * @throws IllegalStateException naming the first broken relation.
     */
    static void checkRelations()
    {
        require(Layout.TRANSFER_LENGTH <= MAX_TX_BYTES, "a Transfer fits MAX_TX_BYTES");
        require(Layout.CREATE_ASSET_LENGTH <= MAX_TX_BYTES, "a CreateAsset fits MAX_TX_BYTES");
        require(Layout.SWAP_LENGTH <= MAX_TX_BYTES, "a Swap fits MAX_TX_BYTES");
        require(MAX_BLOCK_TX_BYTES <= MAX_VAR_DATA16, "every transaction fits the uint16 varData length of Block.tx");
        require(MAX_OPAQUE_PAYLOAD_BYTES <= MAX_VAR_DATA16, "an opaque payload fits the uint16 varData length of its data");
        require(Layout.blockLength(MAX_PARENTS, 1, Layout.opaquePayloadLength(MAX_OPAQUE_PAYLOAD_BYTES)) <= MAX_BLOCK_BYTES,
            "a block can carry at least one maximal opaque payload");

        require(MAX_SIGNATURES <= MAX_COMMITTEE, "distinct signers cannot outnumber the committee");
        require(MAX_PARENTS >= MAX_COMMITTEE, "a block can reference every block of the previous round");
        require(MAX_PARENTS <= MAX_NUM_IN_GROUP && MAX_BLOCK_TXS <= MAX_NUM_IN_GROUP &&
            MAX_RECEIPTS <= MAX_NUM_IN_GROUP && MAX_VOTES <= MAX_NUM_IN_GROUP && MAX_SIGNATURES <= MAX_NUM_IN_GROUP &&
            MAX_REQUEST_REFS <= MAX_NUM_IN_GROUP && MAX_RESPONSE_BLOCKS <= MAX_NUM_IN_GROUP,
            "every count limit fits SBE's uint16 numInGroup");

        require(Layout.blockLength(MAX_PARENTS, MAX_BLOCK_TXS, (long)MAX_BLOCK_TXS * MAX_TX_BYTES) <= MAX_BLOCK_BYTES,
            "a block of MAX_BLOCK_TXS maximal user transactions and MAX_PARENTS parents fits MAX_BLOCK_BYTES");
        require(Layout.blockLength(MAX_PARENTS, 1, MAX_CERTIFIED_BYTES) <= MAX_BLOCK_BYTES,
            "a block can carry at least one maximal certified message");

        require(Layout.blockResponseLength(1, MAX_BLOCK_BYTES) <= MAX_RESPONSE_BYTES,
            "a response can carry one maximal block");
        require(Layout.blockRequestLength(MAX_REQUEST_REFS) <= MAX_MESSAGE_BYTES, "requests fit MAX_MESSAGE_BYTES");
        require(MAX_BLOCK_BYTES <= MAX_MESSAGE_BYTES && MAX_RESPONSE_BYTES <= MAX_MESSAGE_BYTES,
            "MAX_MESSAGE_BYTES bounds every message");
        require(MAX_RANGE_ROUNDS >= 1, "a range request covers at least one round");
    }

    private static void require(final boolean relation, final String description)
    {
        if (!relation)
        {
            throw new IllegalStateException("protocol limits are inconsistent: expected " + description);
        }
    }
}
