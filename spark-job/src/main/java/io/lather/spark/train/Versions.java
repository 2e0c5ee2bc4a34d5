package io.lather.spark.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Versions of the components a checkpoint was written with (recorded in its metadata). */
public final class Versions {
    /** This project's version. */
    public static final String LATHER = "0.1.0-SNAPSHOT";

    private Versions() {}

    /** lather, spark, scala, delta, nd4j, java. */
    public static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("lather", LATHER);
        v.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        v.put("scala", scala.util.Properties.versionNumberString());
        v.put("delta", mavenVersion("io.delta", "delta-spark_2.13"));
        v.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
        v.put("java", System.getProperty("java.version"));
        return v;
    }

    /** The version in a dependency's META-INF/maven/.../pom.properties, or "unknown" when the jar has none. */
    private static String mavenVersion(String group, String artifact) {
        String path = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (var in = Versions.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return "unknown";
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
