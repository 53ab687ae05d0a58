package io.basalt.system;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Debian chromium, headless, driven by playwright-core from {@code system-tests/browser/dashboard-driver.mjs}:
 * one JSON command a line to the node process, one JSON answer a line back. {@code scripts/lib/browser.sh}
 * installs both (scripts/test runs it first); without them this fails, naming that script, instead of skipping.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path DRIVER_DIR = Path.of("browser").toAbsolutePath();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("BASALT_CHROMIUM", "/usr/bin/chromium"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ANSWER_TIMEOUT_MS = 30_000;

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(64);
    private final StringBuilder stderr = new StringBuilder();

    private HeadlessChromium(final Process process) {
        this.process = process;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("chromium-driver-out").start(() -> pump(process.inputReader(StandardCharsets.UTF_8), true));
        Thread.ofPlatform().daemon().name("chromium-driver-err").start(() -> pump(process.errorReader(StandardCharsets.UTF_8), false));
    }

    static HeadlessChromium launch() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isDirectory(DRIVER_DIR.resolve("node_modules").resolve("playwright-core"))) {
            fail("headless Chromium test: " + CHROMIUM + " or " + DRIVER_DIR.resolve("node_modules/playwright-core")
                + " is missing; run scripts/lib/browser.sh (scripts/test runs it before the tests)");
        }
        final ProcessBuilder builder = new ProcessBuilder("node", "dashboard-driver.mjs").directory(DRIVER_DIR.toFile());
        builder.environment().put("BASALT_CHROMIUM", CHROMIUM.toString());
        return new HeadlessChromium(builder.start());
    }

    /** Opens {@code url}; the answer has the HTTP {@code status} and the response {@code headers}. */
    JsonNode open(final String url) throws IOException, InterruptedException {
        return send(JSON.createObjectNode().put("cmd", "open").put("url", url));
    }

    /** What the dashboard shows, read from its DOM (see readPage in the driver), and the console errors so far. */
    JsonNode state() throws IOException, InterruptedException {
        return send(JSON.createObjectNode().put("cmd", "state"));
    }

    void screenshot(final Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.getParent());
        send(JSON.createObjectNode().put("cmd", "shot").put("path", png.toAbsolutePath().toString()));
    }

    private JsonNode send(final ObjectNode command) throws IOException, InterruptedException {
        commands.write(command.toString() + "\n");
        commands.flush();
        final String line = answers.poll(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (line == null) {
            fail("the browser driver did not answer " + command + " within " + ANSWER_TIMEOUT_MS + " ms; stderr:\n" + stderr());
        }
        final JsonNode answer = JSON.readTree(line);
        assertTrue(answer.path("ok").asBoolean(), "browser driver failed on " + command + ": " + answer.path("error").asText()
            + "\nstderr:\n" + stderr());
        return answer;
    }

    private void pump(final BufferedReader in, final boolean toAnswers) {
        try (in) {
            String line;
            while ((line = in.readLine()) != null) {
                if (toAnswers) {
                    answers.put(line);
                } else {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (final IOException | InterruptedException e) {
            // the driver exited; send() reports the missing answer
        }
    }

    private String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            commands.write("{\"cmd\":\"quit\"}\n");
            commands.flush();
        } catch (final IOException e) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
