package io.lather.spark.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code target/lather-job.jar} contains: the job, our modules, Delta, ND4J with its linux-x86_64 natives,
 * JavaCPP/OpenBLAS and xchart; nothing that Spark's side of the classpath already has (Spark "provided"); merged
 * service files; no signature files; Main-Class {@code io.lather.spark.TrainJob}.
 */
class LatherJobJarIT {
    private static Path jar;
    private static ClasspathSplit split;

    @BeforeAll
    static void split() throws IOException {
        jar = SubmitSupport.jobJar();
        split = ClasspathSplit.of(jar);
        System.out.printf("lather-job.jar: %.1f MB, %d files; %d jars shaded in, %d jars on the Spark side%n",
                Files.size(jar) / 1e6, split.jobEntries().size(), split.shadedJars().size(), split.sparkJars().size());
        split.leftToSpark().forEach((p, classes) -> System.out.println("  " + p.getFileName() + ": " + classes.size()
                + " classes left to Spark's copy, e.g. " + classes.get(0)));
    }

    @Test
    void mainClassIsTrainJob() throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("io.lather.spark.TrainJob", j.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }

    @Test
    void everyClasspathJarIsWhollyInsideOrWhollyOutside() {
        // a jar half inside would mean a class the job carries twice, or one that Spark also provides
        assertTrue(split.problems().isEmpty(), () -> "jars partly inside lather-job.jar:\n" + split.problems());
    }

    @Test
    void sparkAndScalaAreProvidedNotShaded() {
        Set<String> e = split.jobEntries();
        for (String sparkClass : List.of("org/apache/spark/SparkContext.class", "org/apache/spark/sql/SparkSession.class",
                "org/apache/spark/ml/Estimator.class", "scala/Predef.class", "org/apache/hadoop/fs/FileSystem.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class", "org/slf4j/Logger.class")) {
            assertFalse(e.contains(sparkClass), sparkClass + " is Spark's (provided) but inside the job jar");
        }
        // the core libraries of the job must come from the jar, never from the Spark side
        for (Path p : split.sparkJars()) {
            String s = p.toString().replace('\\', '/');
            for (String ours : List.of("/io/lather/", "/io/delta/", "/org/nd4j/", "/org/bytedeco/", "/org/knowm/")) {
                assertFalse(s.contains(ours), p + " is on the Spark side of the classpath but is the job's to carry");
            }
        }
    }

    @Test
    void carriesTheJobDeltaNd4jAndNativeLibraries() {
        Set<String> e = split.jobEntries();
        for (String needed : List.of(
                "io/lather/spark/TrainJob.class",
                "io/lather/optimizer/Optimizer.class",
                "io/lather/models/Model.class",
                "io/lather/datasets/LatherTable.class",
                "io/delta/sql/DeltaSparkSessionExtension.class",
                "org/apache/spark/sql/delta/catalog/DeltaCatalog.class",
                "io/delta/storage/LogStore.class",
                "org/nd4j/linalg/factory/Nd4j.class",
                "org/nd4j/linalg/cpu/nativecpu/CpuBackend.class",
                "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/libnd4jcpu.so",
                "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/libjnind4jcpu.so",
                "org/bytedeco/javacpp/Loader.class",
                "org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so",
                "org/bytedeco/openblas/linux-x86_64/libopenblas.so.0",
                "org/bytedeco/openblas/linux-x86_64/libjniopenblas.so",
                "org/knowm/xchart/XYChart.class",
                "nd4j-native.properties")) {
            assertTrue(e.contains(needed), needed + " is missing from the job jar");
        }
    }

    @Test
    void serviceFilesAreMergedNotOverwritten() throws IOException {
        // every provider line of every shaded jar's META-INF/services file must survive in the job jar
        List<String> missing = new ArrayList<>();
        try (ZipFile job = new ZipFile(jar.toFile())) {
            for (Path p : split.shadedJars()) {
                try (ZipFile z = new ZipFile(p.toFile())) {
                    Enumeration<? extends ZipEntry> en = z.entries();
                    while (en.hasMoreElements()) {
                        ZipEntry ze = en.nextElement();
                        if (ze.isDirectory() || !ze.getName().startsWith("META-INF/services/")) {
                            continue;
                        }
                        List<String> merged = providers(job, job.getEntry(ze.getName()));
                        for (String provider : providers(z, ze)) {
                            if (!merged.contains(provider)) {
                                missing.add(ze.getName() + ": " + provider + " (from " + p.getFileName() + ")");
                            }
                        }
                    }
                }
            }
            assertTrue(providers(job, job.getEntry("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister"))
                    .contains("org.apache.spark.sql.delta.sources.DeltaDataSource"), "Delta's data source is not registered");
            assertTrue(providers(job, job.getEntry("META-INF/services/org.nd4j.linalg.factory.Nd4jBackend"))
                    .contains("org.nd4j.linalg.cpu.nativecpu.CpuBackend"), "ND4J's CPU backend is not registered");
        }
        assertTrue(missing.isEmpty(), () -> "service providers lost in shading:\n" + String.join("\n", missing));
    }

    @Test
    void hasNoSignatureFiles() {
        List<String> signatures = split.jobEntries().stream()
                .filter(n -> n.startsWith("META-INF/") && n.indexOf('/', "META-INF/".length()) < 0)
                .filter(n -> n.endsWith(".SF") || n.endsWith(".DSA") || n.endsWith(".RSA") || n.endsWith(".EC")).toList();
        assertTrue(signatures.isEmpty(), () -> "signature files would make the JVM reject the merged jar: " + signatures);
    }

    private static List<String> providers(ZipFile z, ZipEntry e) throws IOException {
        if (e == null) {
            return List.of();
        }
        try (InputStream in = z.getInputStream(e)) {
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).toList();
        }
    }
}
