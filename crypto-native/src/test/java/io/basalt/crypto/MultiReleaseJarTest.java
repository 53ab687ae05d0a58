package io.basalt.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider choice as an application sees it: from the multi-release jar, in a fresh JVM. The jar is packed here
 * from {@code target/classes} the way the jar plugin packs it, because the packaged jar does not exist yet when
 * tests run. {@code -Djdk.util.jar.version=21} makes this JVM read the jar as a Java 21 JVM would, without the
 * versioned libsodium classes.
 */
class MultiReleaseJarTest
{
    /** Prints the backend that {@code auto} chooses, or the error of a demanded provider. */
    public static final class Probe
    {
        public static void main(final String[] args)
        {
            try
            {
                System.out.println("backend=" + Ed25519.fromSystemProperties().backend());
            }
            catch (final IllegalStateException ex)
            {
                System.out.println("error=" + ex.getMessage());
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void javaTwentyTwoAndLaterFindLibsodiumAndJavaTwentyOneSignsWithBouncyCastle() throws Exception
    {
        Assumptions.assumeTrue(TestProviders.libsodiumAvailable(), "libsodium is not installed");
        final List<String> classpath = childClasspath(packMultiReleaseJar());

        assertEquals("backend=LIBSODIUM", probe(classpath));
        assertEquals("backend=BOUNCY_CASTLE", probe(classpath, "-Djdk.util.jar.version=21"));
        final String demanded = probe(classpath, "-Djdk.util.jar.version=21", "-Dbasalt.crypto.provider=libsodium");
        assertTrue(demanded.startsWith("error=no libsodium provider on this JVM"), demanded);
    }

    private Path packMultiReleaseJar() throws Exception
    {
        final Path classes = Path.of(Ed25519.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes.resolve("META-INF/versions/22")), "no Java 22 classes in " + classes);
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        final Path jar = dir.resolve("crypto-native.jar");
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> files = Files.walk(classes))
        {
            for (final Path path : (Iterable<Path>)files.filter(Files::isRegularFile)::iterator)
            {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** This JVM's classpath with the jar in place of crypto-native's class directories. */
    private static List<String> childClasspath(final Path jar) throws Exception
    {
        final Path classes = Path.of(Ed25519.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final List<String> entries = new ArrayList<>();
        entries.add(jar.toString());
        for (final String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        {
            if (!Path.of(entry).toAbsolutePath().normalize().startsWith(classes.toAbsolutePath().normalize()))
            {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static String probe(final List<String> classpath, final String... properties)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of(properties));
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.add(Probe.class.getName());
        final Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getErrorStream().transferTo(OutputStream.nullOutputStream());
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not exit");
        return out.lines().filter(l -> l.startsWith("backend=") || l.startsWith("error=")).findFirst()
            .orElse("no answer: " + out);
    }
}
