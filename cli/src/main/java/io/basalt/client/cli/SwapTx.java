package io.basalt.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.sdk.TransactionBuilder;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyPair;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.TransactionEncoding;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A Swap transaction (docs/protocol.md §2): party A gives {@code amountA} of {@code assetA} to party B, B
 * gives {@code amountB} of {@code assetB} to A, all or nothing; A pays the fee. Both sign the same
 * signed prefix: signature 0 is A's, signature 1 is B's, either may be filled in first.
 *
 * <p>The SDK's {@link TransactionBuilder} has no swap yet, so the CLI encodes one here with the
 * protocol's {@link TransactionEncoding}, as the builder does for a transfer.
 *
 * <p>The swap file that carries a half-signed swap from A to B is JSON:
 * <pre>
 *   {"format": "basalt-swap v1", "tx": "&lt;hex of the swap bytes&gt;", "txId": ..., then the terms
 *    decoded from tx, for people: networkId, fee, expiryMs, partyA{address,asset,amount}, partyB{...},
 *    signedByA, signedByB}
 * </pre>
 * Only {@code tx} is read back: the terms shown to B and the signatures checked are decoded from
 * those bytes, so editing the readable fields changes nothing.
 */
final class SwapTx {
    static final String FORMAT = "basalt-swap v1";
    static final int SIGNATURE_A = 0;
    static final int SIGNATURE_B = 1;

    private final byte[] bytes;
    private final SwapDecoder decoder;

    private SwapTx(final byte[] bytes) {
        this.bytes = bytes;
        this.decoder = new SwapDecoder().wrapAndApplyHeader(new UnsafeBuffer(bytes), 0, new MessageHeaderDecoder());
    }

    /** An unsigned swap (both signatures zero). */
    static SwapTx build(final int networkId, final long fee, final long nonce, final long expiryMs,
                        final byte[] partyA, final int assetA, final long amountA,
                        final byte[] partyB, final int assetB, final long amountB) {
        final byte[] tx = new byte[Layout.SWAP_LENGTH];
        final int length = new TransactionEncoding().encodeSwap(new UnsafeBuffer(tx), 0, networkId, fee, nonce, expiryMs,
            partyA, assetA, amountA, partyB, assetB, amountB);
        assert length == tx.length : "encoded length " + length + " != buffer " + tx.length;
        return new SwapTx(tx);
    }

    /** Wraps bytes that must be a valid Swap. */
    static SwapTx of(final byte[] tx) {
        final var error = MessageValidator.validateUserTransaction(new UnsafeBuffer(tx), 0, tx.length);
        if (!error.isOk()) {
            throw new CliException("not a valid transaction: " + error.name() + " (" + error.message() + ")", 2);
        }
        if (Templates.templateId(new UnsafeBuffer(tx), 0) != Templates.SWAP) {
            throw new CliException("the transaction is not a swap", 2);
        }
        return new SwapTx(tx.clone());
    }

    byte[] bytes() {
        return bytes.clone();
    }

    String txIdHex() {
        return Hex.encode(TransactionBuilder.txId(bytes));
    }

    int networkId() {
        return (int) decoder.networkId();
    }

    long fee() {
        return decoder.fee();
    }

    long expiryMs() {
        return decoder.expiryMs();
    }

    byte[] partyA() {
        final byte[] key = new byte[Layout.KEY_LENGTH];
        decoder.getPartyA(key, 0, key.length);
        return key;
    }

    byte[] partyB() {
        final byte[] key = new byte[Layout.KEY_LENGTH];
        decoder.getPartyB(key, 0, key.length);
        return key;
    }

    int assetA() {
        return (int) decoder.assetA();
    }

    long amountA() {
        return decoder.amountA();
    }

    int assetB() {
        return (int) decoder.assetB();
    }

    long amountB() {
        return decoder.amountB();
    }

    private int signedLength() {
        return SignedRegion.signedLength(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** Signs as party {@code index}; {@code key} must be that party's. */
    void sign(final Ed25519 ed25519, final KeyPair key, final int index) {
        final byte[] party = index == SIGNATURE_A ? partyA() : partyB();
        if (!Arrays.equals(party, key.publicKey())) {
            throw new CliException("the key " + key.publicKeyHex() + " is not party " + (index == SIGNATURE_A ? "A" : "B")
                + " of this swap (" + Hex.encode(party) + ")", ClientCommands.EXIT_KEY_FILE);
        }
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ed25519.sign(key, bytes, 0, signedLength(), signature, 0);
        SignedRegion.putSignature(new UnsafeBuffer(bytes), 0, bytes.length, index, signature);
    }

    /** Whether signature {@code index} is present and valid for its party. */
    boolean signedBy(final Ed25519 ed25519, final int index) {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        buffer.getBytes(SignedRegion.signatureOffset(buffer, 0, bytes.length, index), signature);
        if (Arrays.equals(signature, new byte[Layout.SIGNATURE_LENGTH])) {
            return false;
        }
        return ed25519.verify(index == SIGNATURE_A ? partyA() : partyB(), bytes, 0, signedLength(), signature);
    }

    /** The terms and signatures, decoded from the bytes. */
    ObjectNode json(final Ed25519 ed25519) {
        final ObjectNode node = OutputOptions.object();
        node.put("txId", txIdHex());
        node.put("networkId", Integer.toUnsignedLong(networkId()));
        node.put("fee", OutputOptions.unsigned(fee()));
        node.put("expiryMs", expiryMs());
        node.putObject("partyA").put("address", Hex.encode(partyA())).put("asset", Integer.toUnsignedLong(assetA()))
            .put("amount", OutputOptions.unsigned(amountA()));
        node.putObject("partyB").put("address", Hex.encode(partyB())).put("asset", Integer.toUnsignedLong(assetB()))
            .put("amount", OutputOptions.unsigned(amountB()));
        node.put("signedByA", signedBy(ed25519, SIGNATURE_A));
        node.put("signedByB", signedBy(ed25519, SIGNATURE_B));
        return node;
    }

    /** The terms for people, a few lines. */
    String describe(final Ed25519 ed25519) {
        return "swap " + txIdHex() + "\n"
            + "  A " + Hex.encode(partyA()) + " gives " + Long.toUnsignedString(amountA()) + " of asset "
            + Integer.toUnsignedString(assetA()) + (signedBy(ed25519, SIGNATURE_A) ? "  (signed)" : "  (not signed)") + "\n"
            + "  B " + Hex.encode(partyB()) + " gives " + Long.toUnsignedString(amountB()) + " of asset "
            + Integer.toUnsignedString(assetB()) + (signedBy(ed25519, SIGNATURE_B) ? "  (signed)" : "  (not signed)") + "\n"
            + "  fee " + Long.toUnsignedString(fee()) + " (paid by A), network " + Integer.toUnsignedString(networkId())
            + ", expires at consensus time " + expiryMs() + " ms\n";
    }

    /** Writes the swap file; refuses to replace a file unless {@code force}. */
    void write(final Path file, final Ed25519 ed25519, final boolean force) {
        final ObjectNode node = OutputOptions.object();
        node.put("format", FORMAT);
        node.put("tx", Hex.encode(bytes));
        node.setAll(json(ed25519));
        try {
            final String text = OutputOptions.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
            if (force) {
                Files.writeString(file, text + "\n");
            } else {
                Files.writeString(file, text + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        } catch (final FileAlreadyExistsException e) {
            throw new CliException(file + " already exists; pass --force to replace it", ClientCommands.EXIT_KEY_FILE);
        } catch (final IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), ClientCommands.EXIT_KEY_FILE);
        }
    }

    /** Reads a swap file written by {@link #write}. */
    static SwapTx read(final Path file) {
        final JsonNode node;
        try {
            if (Files.size(file) > 64 * 1024) {
                throw new CliException(file + " is too large to be a swap file", ClientCommands.EXIT_KEY_FILE);
            }
            node = OutputOptions.JSON.readTree(Files.readString(file));
        } catch (final IOException e) {
            throw new CliException("cannot read swap file " + file + ": " + e.getMessage(), ClientCommands.EXIT_KEY_FILE);
        }
        if (node == null || !FORMAT.equals(node.path("format").asText()) || !node.path("tx").isTextual()) {
            throw new CliException(file + " is not a swap file (\"format\": \"" + FORMAT + "\" with \"tx\")",
                ClientCommands.EXIT_KEY_FILE);
        }
        final byte[] tx;
        try {
            tx = Hex.decode(node.get("tx").asText());
        } catch (final IllegalArgumentException e) {
            throw new CliException(file + ": tx is not hex", ClientCommands.EXIT_KEY_FILE);
        }
        return of(tx);
    }
}
