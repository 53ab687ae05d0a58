package io.basalt.client.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --wait} and {@code --wait-timeout DURATION}, mixed into the commands that submit. {@code --wait}
 * alone waits up to {@link #DEFAULT_TIMEOUT}; {@code --wait-timeout} sets the limit and implies
 * {@code --wait}. A transaction that crosses shards is waited for until SETTLED.
 */
final class WaitOptions {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** No wait longer than this: a transaction expires at most 60 s after it was built. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    @Option(names = "--wait", description = "wait until the transaction is final (SETTLED when it crosses shards) and print"
        + " the outcome; exit 6 if it failed")
    boolean waitForFinality;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "how long --wait waits, e.g. 500ms, 30s, 2m (default: 60s); implies --wait")
    Duration timeout;

    boolean enabled() {
        return waitForFinality || timeout != null;
    }

    Duration limit() {
        return timeout != null ? timeout : DEFAULT_TIMEOUT;
    }

    /** "500ms", "30s", "2m", "1h", or a bare number of seconds; positive and at most {@link #MAX_TIMEOUT}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(final String value) {
            final Duration duration = parse(value.trim().toLowerCase(Locale.ROOT));
            if (duration.isZero() || duration.isNegative() || duration.compareTo(MAX_TIMEOUT) > 0) {
                throw new TypeConversionException("'" + value + "' must be more than 0 and at most 10m");
            }
            return duration;
        }

        private static Duration parse(final String text) {
            try {
                if (text.endsWith("ms")) {
                    return Duration.ofMillis(number(text.substring(0, text.length() - 2)));
                }
                if (text.endsWith("s")) {
                    return Duration.ofSeconds(number(text.substring(0, text.length() - 1)));
                }
                if (text.endsWith("m")) {
                    return Duration.ofMinutes(number(text.substring(0, text.length() - 1)));
                }
                if (text.endsWith("h")) {
                    return Duration.ofHours(number(text.substring(0, text.length() - 1)));
                }
                return Duration.ofSeconds(number(text));
            } catch (final IllegalArgumentException | ArithmeticException e) {
                throw new TypeConversionException("'" + text + "' is not a duration (e.g. 500ms, 30s, 2m)");
            }
        }

        /** Plain ASCII digits only (Decimal), bounded so that no unit overflows a Duration. */
        private static long number(final String digits) {
            return io.basalt.protocol.Decimal.parse(digits, Integer.MAX_VALUE, "a duration");
        }
    }
}
