package io.basalt.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigInteger;
import picocli.CommandLine.Option;

/**
 * {@code -o/--output text|json}, mixed into every command that prints data. Text is for people and
 * may change; JSON is one object per line (a stream of them for {@code watch}) with stable field
 * names, for scripts. Amounts are JSON integers with their unsigned 64-bit value, as in docs/api.md.
 */
final class OutputOptions {
    /** How a command prints what it found. */
    enum Format { text, json }

    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
        description = "text (default) or json: one JSON object per line, for scripts")
    Format format = Format.text;

    boolean json() {
        return format == Format.json;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** An unsigned 64-bit value as a JSON integer (it may exceed Long.MAX_VALUE). */
    static BigInteger unsigned(final long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    /** Prints {@code node} as one line and flushes, so that a reader of a pipe sees it at once. */
    static void print(final PrintWriter out, final Object node) {
        out.println(node.toString());
        out.flush();
    }
}
