package io.lather.spark.submit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Paths and small utilities shared by the spark-submit integration tests. The paths come from the failsafe
 * configuration in spark-job/pom.xml; defaults let a test also run from an IDE with the module as working directory.
 */
final class SubmitSupport {
    private SubmitSupport() {}

    /** The repository root (holds conf/ and the root pom). */
    static Path root() {
        return Path.of(System.getProperty("lather.root", "..")).toAbsolutePath().normalize();
    }

    /** The shaded job jar built at package. */
    static Path jobJar() {
        Path jar = Path.of(System.getProperty("lather.job.jar", "target/lather-job.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("job jar " + jar + " does not exist; the spark-submit tests run after package: "
                    + "mvn -B -ntp -pl spark-job -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false");
        }
        return jar;
    }

    /** Scratch space of the integration tests (under target/, wiped per test class). */
    static Path itDir() {
        return Path.of(System.getProperty("lather.it.dir", "target/submit-it")).toAbsolutePath().normalize();
    }

    /** Spark's JVM module options (the root pom's lather.jvm.module.options), for JVMs the tests start directly. */
    static List<String> moduleOptions() {
        String opts = System.getProperty("lather.jvm.module.options");
        if (opts == null || opts.isBlank()) {
            throw new IllegalStateException("system property lather.jvm.module.options is not set; run the test through Maven "
                    + "(failsafe passes the root pom's property) or pass -Dlather.jvm.module.options=...");
        }
        return Arrays.asList(opts.trim().split("\\s+"));
    }

    /** Where JavaCPP unpacks ND4J's native libraries: the build tree's cache, never $HOME. */
    static String javacppCacheDir() {
        String dir = System.getProperty("org.bytedeco.javacpp.cachedir", System.getProperty("lather.javacpp.cachedir"));
        if (dir == null) {
            throw new IllegalStateException("org.bytedeco.javacpp.cachedir is not set; run the test through Maven (root pom argLine)");
        }
        return dir;
    }

    /** The java launcher of the running JVM (child JVMs use the same Java 17). */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A TCP port that was free on 127.0.0.1 a moment ago. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, empty directory. */
    static Path freshDir(Path dir) {
        deleteRecursively(dir);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of a text. */
    static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines);
        return String.join("\n", Arrays.copyOfRange(all, from, all.length));
    }
}
