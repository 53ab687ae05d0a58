package io.basalt.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/config.md is the configuration reference: every field of {@link NodeConfig} and {@link HttpLimits}
 * has a row, and every default in it is the one the code applies to a file that leaves the field out.
 */
class ConfigReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "config.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\| ([^|]+) \\|");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyNodeConfigFieldIsDocumentedWithTheDefaultTheReaderApplies() throws IOException {
        final Map<String, String> documented = table("## node.json");
        final List<String> fields = Arrays.stream(NodeConfig.class.getRecordComponents()).map(RecordComponent::getName).toList();
        assertEquals(new java.util.TreeSet<>(fields), new java.util.TreeSet<>(documented.keySet()),
            "docs/config.md rows vs NodeConfig's fields");
        for (final String required : NodeConfig.REQUIRED) {
            assertEquals("required", documented.get(required), required);
        }
        for (final Map.Entry<String, Object> d : NodeConfig.defaults().entrySet()) {
            assertEquals("`" + JSON.writeValueAsString(d.getValue()) + "`", documented.get(d.getKey()), d.getKey());
        }
        // And what the reader makes of a file with only the required fields is those defaults.
        final Path file = dir.resolve("node.json");
        Files.writeString(file, "{\"genesis\":\"g.json\",\"shardId\":0,\"validatorIndex\":1,\"keyFile\":\"v.key\"}");
        final NodeConfig config = NodeConfig.read(file);
        assertEquals(dir.resolve("data").toAbsolutePath(), config.dataDir());
        assertEquals(null, config.aeronDir());
        assertEquals(NodeConfig.defaults().get("embeddedMediaDriver"), config.embeddedMediaDriver());
        assertEquals(NodeConfig.defaults().get("idleStrategy"), config.idleStrategy());
        assertEquals(NodeConfig.defaults().get("verifierThreads"), config.verifierThreads());
        assertEquals(NodeConfig.defaults().get("leaderTimeoutMs"), config.leaderTimeoutMs());
        assertEquals(NodeConfig.defaults().get("minRoundIntervalMs"), config.minRoundIntervalMs());
        assertEquals(NodeConfig.defaults().get("idleRoundIntervalMs"), config.idleRoundIntervalMs());
        assertEquals(NodeConfig.defaults().get("maxBlockTransactions"), config.maxBlockTransactions());
        assertEquals(NodeConfig.defaults().get("stateEntries"), config.stateEntries());
        assertEquals(null, config.faucetKeyFile());
        assertEquals(HttpLimits.DEFAULT, config.http());
    }

    @Test
    void everyHttpLimitIsDocumentedWithItsDefault() throws Exception {
        final Map<String, String> documented = table("## http");
        final RecordComponent[] components = HttpLimits.class.getRecordComponents();
        assertEquals(new java.util.TreeSet<>(Arrays.stream(components).map(RecordComponent::getName).toList()),
            new java.util.TreeSet<>(documented.keySet()), "docs/config.md rows vs HttpLimits' fields");
        for (final RecordComponent c : components) {
            assertEquals("`" + c.getAccessor().invoke(HttpLimits.DEFAULT) + "`", documented.get(c.getName()), c.getName());
        }
    }

    /** The rows of the table under {@code heading}: field to its default column. */
    private static Map<String, String> table(final String heading) throws IOException {
        final List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        final int start = lines.indexOf(heading);
        assertTrue(start >= 0, "docs/config.md has no '" + heading + "' section");
        final Map<String, String> rows = new LinkedHashMap<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            final Matcher m = ROW.matcher(lines.get(i));
            if (m.find()) {
                rows.put(m.group(1), m.group(2).strip());
            }
        }
        return rows;
    }
}
