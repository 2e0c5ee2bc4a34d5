package io.lather.spark;

import java.nio.file.Path;

/** How Lather names the locations of its Delta tables. */
public final class DeltaPaths {
    private DeltaPaths() {}

    /**
     * A local path made absolute and normalised; a URI with a scheme ({@code s3a://…}, {@code hdfs://…},
     * {@code file:/…}) is kept as given. A table's identity then does not depend on the working directory of whichever
     * JVM opens it, and Delta's table builder, which reads a relative location such as {@code lather-data/metrics} as
     * a table name, always gets a path.
     */
    public static String qualify(String path) {
        if (path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return path;
        }
        return Path.of(path).toAbsolutePath().normalize().toString();
    }
}
