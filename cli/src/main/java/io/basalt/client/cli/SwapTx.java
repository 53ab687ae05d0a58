package io.basalt.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.sdk.Swap;
import io.basalt.client.sdk.Swap.Party;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyPair;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The CLI's side of a swap: the swap file that carries a half-signed swap from A to B, and the terms printed for
 * people. Building, decoding and signing are the SDK's {@link Swap}; this class adds only files and text.
 *
 * <p>The swap file is JSON:
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

    private final Swap swap;

    SwapTx(final Swap swap) {
        this.swap = swap;
    }

    /** Wraps bytes that must be a valid Swap. */
    static SwapTx of(final byte[] tx) {
        try {
            return new SwapTx(Swap.of(tx));
        } catch (final IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    byte[] bytes() {
        return swap.bytes();
    }

    String txIdHex() {
        return swap.txIdHex();
    }

    int networkId() {
        return swap.networkId();
    }

    long expiryMs() {
        return swap.expiryMs();
    }

    byte[] partyA() {
        return swap.address(Party.A);
    }

    /** Signs as {@code party}; {@code key} must be that party's. */
    void sign(final Ed25519 ed25519, final KeyPair key, final Party party) {
        try {
            swap.sign(ed25519, key, party);
        } catch (final IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ClientCommands.EXIT_KEY_FILE);
        }
    }

    boolean signedBy(final Ed25519 ed25519, final Party party) {
        return swap.signedBy(ed25519, party);
    }

    /** The terms and signatures, decoded from the bytes. */
    ObjectNode json(final Ed25519 ed25519) {
        final ObjectNode node = OutputOptions.object();
        node.put("txId", txIdHex());
        node.put("networkId", Integer.toUnsignedLong(swap.networkId()));
        node.put("fee", OutputOptions.unsigned(swap.fee()));
        node.put("expiryMs", swap.expiryMs());
        for (final Party party : Party.values()) {
            node.putObject("party" + party).put("address", Hex.encode(swap.address(party)))
                .put("asset", Integer.toUnsignedLong(swap.asset(party))).put("amount", OutputOptions.unsigned(swap.amount(party)));
        }
        node.put("signedByA", signedBy(ed25519, Party.A));
        node.put("signedByB", signedBy(ed25519, Party.B));
        return node;
    }

    /** The terms for people, a few lines. */
    String describe(final Ed25519 ed25519) {
        final StringBuilder text = new StringBuilder("swap ").append(txIdHex()).append('\n');
        for (final Party party : Party.values()) {
            text.append("  ").append(party).append(' ').append(Hex.encode(swap.address(party))).append(" gives ")
                .append(Long.toUnsignedString(swap.amount(party))).append(" of asset ")
                .append(Integer.toUnsignedString(swap.asset(party)))
                .append(signedBy(ed25519, party) ? "  (signed)" : "  (not signed)").append('\n');
        }
        return text.append("  fee ").append(Long.toUnsignedString(swap.fee())).append(" (paid by A), network ")
            .append(Integer.toUnsignedString(swap.networkId())).append(", expires at consensus time ")
            .append(swap.expiryMs()).append(" ms\n").toString();
    }

    /** Writes the swap file; refuses to replace a file unless {@code force}. */
    void write(final Path file, final Ed25519 ed25519, final boolean force) {
        final ObjectNode node = OutputOptions.object();
        node.put("format", FORMAT);
        node.put("tx", Hex.encode(swap.bytes()));
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
