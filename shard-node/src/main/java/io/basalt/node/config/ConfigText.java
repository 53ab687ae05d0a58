package io.basalt.node.config;

/**
 * Text from a config or genesis file as an error message may show it. Field names and values come
 * from the file: a key holding a newline must not split the one-line error (or forge a log line).
 */
final class ConfigText {
    private ConfigText() {
    }

    /**
     * The innermost cause's message (a record's own check). Jackson's getMessage() appends the
     * location on a second line, so for a Jackson cause take its original message.
     */
    static String rootMessage(final Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof com.fasterxml.jackson.core.JsonProcessingException jackson
            ? jackson.getOriginalMessage() : t.getMessage();
    }

    /** {@code text} with control characters and Unicode line separators escaped as {@code \\uXXXX}. */
    static String oneLine(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
