package io.basalt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --log-level} and {@code --log-format} reconfigure the node's log4j2.xml, also after loggers exist. */
class LoggingOptionsTest {
    @AfterEach
    void restore() {
        System.clearProperty("basalt.log.level");
        System.clearProperty("basalt.log.format");
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
    }

    @Test
    void levelAndFormatFollowTheFlags() {
        LogManager.getLogger("io.basalt.test").info("a logger made before the flags are applied");
        assertEquals(Level.INFO, LogManager.getRootLogger().getLevel(), "the default level");
        assertInstanceOf(PatternLayout.class, stderr().getLayout(), "the default format is text");

        final LoggingOptions options = new LoggingOptions();
        new CommandLine(new Holder(options)).setCaseInsensitiveEnumValuesAllowed(true) // as BasaltCli does
            .parseArgs("--log-level", "warn", "--log-format", "json");
        options.apply();

        assertEquals(Level.WARN, LogManager.getRootLogger().getLevel());
        assertEquals(Level.WARN, LogManager.getLogger("io.basalt.test").getLevel(), "loggers made before follow too");
        assertInstanceOf(JsonTemplateLayout.class, stderr().getLayout());
    }

    @Test
    void anUnknownLevelIsAUsageError() {
        final int exit = BasaltCli.execute("node", "--config", "missing.json", "--log-level", "LOUD");
        assertEquals(2, exit);
    }

    private static Appender stderr() {
        return ((LoggerContext) LogManager.getContext(false)).getConfiguration().getAppender("stderr");
    }

    @CommandLine.Command(name = "holder")
    static final class Holder {
        @CommandLine.Mixin
        LoggingOptions options;

        Holder(final LoggingOptions options) {
            this.options = options;
        }
    }
}
