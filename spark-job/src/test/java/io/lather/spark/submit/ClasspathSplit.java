package io.lather.spark.submit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Splits the test's runtime classpath into what the job jar carries and what Spark provides, by content: a jar whose
 * classes are all in {@code lather-job.jar} was shaded into it; a jar none of whose classes are in it belongs to the
 * Spark side (Spark, Scala and everything they bring), the classpath a Spark distribution gives the job. A jar with
 * some but not all of its classes in the job jar is a problem (a class the job would carry twice, or a duplicate of
 * one Spark provides), except when the missing classes are all on the Spark side (the shade configuration left
 * them to Spark's copy). A class of the job jar found in two classpath jars is a problem too (a Spark artifact bundled
 * unrelocated inside one of ours would otherwise look "wholly inside"). Jars without classes (pure native or
 * resource jars) are compared by their non-META-INF files; jars with nothing outside META-INF, JUnit and the test
 * harness belong to neither side.
 *
 * <p>This is how the spark-submit tests get "Spark's jars from the test classpath, not our jar": the child JVMs see
 * {@link #sparkJars()} plus the job jar, never the module's classes.
 */
final class ClasspathSplit {
    /** Test-only artifacts, by repository path fragment: on the test classpath but neither Spark's nor the job's. */
    private static final List<String> TEST_ONLY = List.of("/org/junit/", "/org/opentest4j/", "/org/apiguardian/",
            "/org/apache/maven/surefire/", "/org/apache/maven/plugins/maven-failsafe-plugin/");

    private final Path jobJar;
    private final Set<String> jobEntries;
    private final List<Path> sparkJars = new ArrayList<>();
    private final List<Path> shadedJars = new ArrayList<>();
    private final Map<Path, String> problems = new LinkedHashMap<>();
    private final Map<Path, Set<String>> partial = new LinkedHashMap<>();
    private final Map<String, List<Path>> owners = new java.util.HashMap<>();
    private final Map<Path, List<String>> leftToSpark = new LinkedHashMap<>();

    private ClasspathSplit(Path jobJar) {
        this.jobJar = jobJar;
        this.jobEntries = allEntries(jobJar);
    }

    /** Splits the current test classpath against the job jar. */
    static ClasspathSplit of(Path jobJar) {
        ClasspathSplit s = new ClasspathSplit(jobJar);
        for (Path p : testClasspath()) {
            s.classify(p);
        }
        s.resolvePartial();
        if (s.sparkJars.stream().noneMatch(p -> p.getFileName().toString().startsWith("spark-core_"))) {
            throw new IllegalStateException("no spark-core jar on the test classpath " + testClasspath()
                    + "; the spark-submit tests take Spark's jars from spark-job's test classpath");
        }
        return s;
    }

    /** The entries of the test JVM's classpath (failsafe puts the real classpath into java.class.path). */
    static List<Path> testClasspath() {
        String cp = System.getProperty("java.class.path");
        String[] parts = cp.split(File.pathSeparator);
        if (parts.length < 10 && System.getProperty("surefire.test.class.path") != null) {
            // a manifest-only booter jar: the real classpath is in surefire's property
            parts = System.getProperty("surefire.test.class.path").split(File.pathSeparator);
        }
        List<Path> out = new ArrayList<>();
        for (String p : parts) {
            if (!p.isBlank()) {
                out.add(Path.of(p).toAbsolutePath().normalize());
            }
        }
        return out;
    }

    private void classify(Path p) {
        String unix = p.toString().replace(File.separatorChar, '/');
        if (Files.isDirectory(p) || !unix.endsWith(".jar") || TEST_ONLY.stream().anyMatch(unix::contains)) {
            return; // module output directories (their classes are in the job jar) and the test harness
        }
        if (p.equals(jobJar)) {
            return;
        }
        Set<String> own = entries(p);
        if (own.isEmpty()) {
            return; // nothing but META-INF (e.g. a classifier jar holding only a pom): nothing to carry or provide
        }
        for (String e : own) {
            if (jobEntries.contains(e)) {
                owners.computeIfAbsent(e, k -> new ArrayList<>()).add(p);
            }
        }
        long inJob = own.stream().filter(jobEntries::contains).count();
        if (inJob == 0) {
            sparkJars.add(p);
        } else if (inJob == own.size()) {
            shadedJars.add(p);
        } else {
            partial.put(p, own);
        }
    }

    /**
     * A jar partly in the job jar is fine in one case: the shade configuration left out classes that the Spark side
     * provides (the job jar then uses Spark's copy, as ND4J's Guava does for com.google.thirdparty). Anything else
     * is a problem.
     */
    private void resolvePartial() {
        // a class of the job jar that two classpath jars provide (e.g. an artifact Spark brings, also bundled
        // unrelocated inside one of ours) would make a Spark artifact look "wholly inside"
        Map<List<Path>, List<String>> shared = new LinkedHashMap<>();
        owners.forEach((entry, jars) -> {
            if (jars.size() > 1) {
                shared.computeIfAbsent(jars, k -> new ArrayList<>()).add(entry);
            }
        });
        shared.forEach((jars, es) -> problems.merge(jars.get(0), es.size() + " entries of the job jar are also in "
                + jars.subList(1, jars.size()) + ", e.g. " + es.stream().sorted().limit(5).toList(), (a, b) -> a + "; " + b));
        Set<String> sparkEntries = new HashSet<>();
        sparkJars.forEach(j -> sparkEntries.addAll(entries(j)));
        partial.forEach((p, own) -> {
            List<String> missing = own.stream().filter(e -> !jobEntries.contains(e)).sorted().toList();
            if (sparkEntries.containsAll(missing)) {
                shadedJars.add(p);
                leftToSpark.put(p, missing);
            } else {
                long inJob = own.size() - missing.size();
                List<String> sample = own.stream().filter(jobEntries::contains).sorted().limit(5).toList();
                problems.put(p, inJob + " of " + own.size() + " entries are in the job jar (e.g. " + sample + "); not in it: "
                        + missing.stream().limit(5).toList());
            }
        });
    }

    /** Shaded jars some of whose classes the job jar leaves to the Spark side, with those classes. */
    Map<Path, List<String>> leftToSpark() {
        return leftToSpark;
    }

    /**
     * The entries compared between jars: classes (without module descriptors), or for a jar without classes its
     * files outside META-INF.
     */
    static Set<String> entries(Path jar) {
        Set<String> classes = new HashSet<>();
        Set<String> files = new HashSet<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> e = z.entries();
            while (e.hasMoreElements()) {
                ZipEntry entry = e.nextElement();
                String n = entry.getName();
                if (entry.isDirectory() || n.endsWith("module-info.class")) {
                    continue;
                }
                if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                    classes.add(n);
                } else if (!n.startsWith("META-INF/")) {
                    files.add(n);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + jar, ex);
        }
        return classes.isEmpty() ? files : classes;
    }

    /** Every file name in a jar (directories excluded). */
    static Set<String> allEntries(Path jar) {
        Set<String> out = new HashSet<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> e = z.entries();
            while (e.hasMoreElements()) {
                ZipEntry entry = e.nextElement();
                if (!entry.isDirectory()) {
                    out.add(entry.getName());
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + jar, ex);
        }
        return out;
    }

    /** Every file name of the job jar (directories excluded). */
    Set<String> jobEntries() {
        return jobEntries;
    }

    /** Jars of the Spark side, in classpath order. */
    List<Path> sparkJars() {
        return sparkJars;
    }

    /** Jars whose content is inside the job jar. */
    List<Path> shadedJars() {
        return shadedJars;
    }

    /** Jars that are partly in the job jar, with what overlaps. */
    Map<Path, String> problems() {
        return problems;
    }
}
