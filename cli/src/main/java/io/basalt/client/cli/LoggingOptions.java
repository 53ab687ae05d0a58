package io.basalt.client.cli;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import picocli.CommandLine.Option;

/**
 * {@code --log-level} and {@code --log-format} of the commands that run validators ({@code node},
 * {@code local}). They set {@code basalt.log.level} / {@code basalt.log.format}, which the node's
 * log4j2.xml reads, and reconfigure Log4j2 so that a logger created before the options were parsed
 * follows them too. Without the flags, the same system properties (or the defaults) apply.
 */
final class LoggingOptions {
    enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    enum Format { TEXT, JSON }

    @Option(names = "--log-level", paramLabel = "LEVEL",
        description = "TRACE, DEBUG, INFO, WARN or ERROR (default: INFO, or -Dbasalt.log.level)")
    Level level;

    @Option(names = "--log-format", paramLabel = "FORMAT",
        description = "text, or json for one JSON object per line in the Elastic Common Schema (default: text)")
    Format format;

    /** Applies the flags given; a no-op when neither was. */
    void apply() {
        if (level == null && format == null) {
            return;
        }
        if (level != null) {
            System.setProperty("basalt.log.level", level.name());
        }
        if (format != null) {
            System.setProperty("basalt.log.format", format.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (LogManager.getContext(false) instanceof LoggerContext context) {
            context.reconfigure();
        }
    }
}
