package io.lather.spark.submit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal Spark distribution built from the test classpath: {@code jars/} holds symbolic links to the Spark side
 * of the classpath ({@link ClasspathSplit#sparkJars()}), {@code conf/} a log4j2 configuration. That is all Spark's
 * launcher ({@code org.apache.spark.launcher.Main}, what {@code bin/spark-submit} runs) and a standalone Worker need:
 * both build a JVM's classpath as {@code $SPARK_HOME/conf/:$SPARK_HOME/jars/*}
 * (AbstractCommandBuilder.buildClassPath). The Maven jars carry no bin/ scripts, so the tests do what the scripts
 * do: run the launcher, then the command it prints.
 */
final class SparkHome {
    /**
     * Set by Spark's bin/load-spark-env.sh for a binary distribution; without it the launcher looks for a source
     * build ($SPARK_HOME/launcher/target/scala-2.13) and fails with "Cannot find any build directories".
     */
    static final String SCALA_VERSION = "2.13";

    /** Loggers the tests read: Master/Worker readiness, the driver's executor grants, executors' finished tasks. */
    private static final String LOG4J2 = """
            # Written by the spark-submit integration tests: warnings, plus the INFO lines the tests wait for or check.
            rootLogger.level = warn
            rootLogger.appenderRef.stderr.ref = console
            appender.console.type = Console
            appender.console.name = console
            appender.console.target = SYSTEM_ERR
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
            # Master "I have been elected leader", Worker "Successfully registered with master", ExecutorRunner launch
            # commands, the driver's StandaloneAppClient "Executor added"
            logger.deploy.name = org.apache.spark.deploy
            logger.deploy.level = info
            # executors' "Running task ..." / "Finished task ..."
            logger.executor.name = org.apache.spark.executor.Executor
            logger.executor.level = info
            # the driver's "Connected to Spark cluster with app ID ..."
            logger.backend.name = org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend
            logger.backend.level = info
            logger.sparkproject.name = org.sparkproject
            logger.sparkproject.level = error
            logger.hadoop.name = org.apache.hadoop
            logger.hadoop.level = error
            """;

    private final Path home;

    private SparkHome(Path home) {
        this.home = home;
    }

    /** Creates the distribution under {@code dir} (emptied first). */
    static SparkHome create(Path dir, List<Path> sparkJars) {
        Path home = SubmitSupport.freshDir(dir);
        try {
            Path jars = Files.createDirectories(home.resolve("jars"));
            for (Path jar : sparkJars) {
                Path link = jars.resolve(jar.getFileName().toString());
                if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    // two artifacts with the same file name (different groups): keep both, prefixed with the
                    // repository directory above the artifact's (the last part of its group id)
                    link = jars.resolve(jar.getParent().getParent().getParent().getFileName() + "-" + jar.getFileName());
                }
                Files.createSymbolicLink(link, jar);
            }
            Path conf = Files.createDirectories(home.resolve("conf"));
            Files.writeString(conf.resolve("log4j2.properties"), LOG4J2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SparkHome(home);
    }

    Path home() {
        return home;
    }

    /** The classpath Spark's scripts give its own daemons and the launcher: conf/ and jars/*. */
    String classpath() {
        return home.resolve("conf") + "/" + java.io.File.pathSeparator + home.resolve("jars") + "/*";
    }

    /** The launcher's own classpath (bin/spark-class: LAUNCH_CLASSPATH="$SPARK_HOME/jars/*"). */
    String launcherClasspath() {
        return home.resolve("jars") + "/*";
    }

    /** What bin/spark-class and bin/load-spark-env.sh export for every Spark process. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", SCALA_VERSION);
        // one host, loopback only: daemons, driver and executors bind and advertise 127.0.0.1
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return env;
    }
}
