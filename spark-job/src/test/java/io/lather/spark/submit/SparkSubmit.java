package io.lather.spark.submit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs {@code spark-submit} the way Spark's {@code bin/spark-submit} script does, from a {@link SparkHome}: first
 * {@code java -cp $SPARK_HOME/jars/* org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit <args>}, which
 * reads the properties file and prints the driver command (NUL-separated; {@code -Xmx} from spark.driver.memory, the
 * driver's extra/default Java options, Spark's module options, classpath {@code conf/:jars/*}); then that command,
 * i.e. a child JVM running {@code org.apache.spark.deploy.SparkSubmit}, which in client mode is the driver. So the
 * properties file's driver settings take effect exactly as with a real distribution.
 */
final class SparkSubmit {
    private SparkSubmit() {}

    /** A finished spark-submit. */
    record Result(List<String> driverCommand, int exitCode, String stdout, String stderr, ChildProcess driver) {
        /** Everything a failure message needs. */
        String describe() {
            return "spark-submit exited with " + exitCode + "\n" + driver.describe(120);
        }
    }

    /**
     * Submits and waits for the driver to finish.
     *
     * @param home the Spark distribution
     * @param args spark-submit's arguments (options, the jar, the application's arguments)
     * @param driverEnv environment of the driver JVM on top of the distribution's (what the user's shell exports)
     * @param runDir working directory and log directory
     * @param limit guard against a hung job (not a speed assertion)
     */
    static Result run(SparkHome home, List<String> args, Map<String, String> driverEnv, Path runDir, Duration limit) {
        List<String> launcher = new ArrayList<>(List.of(SubmitSupport.java(), "-Xmx128m", "-cp", home.launcherClasspath(),
                "org.apache.spark.launcher.Main", "org.apache.spark.deploy.SparkSubmit"));
        launcher.addAll(args);
        Map<String, String> env = new LinkedHashMap<>(home.env());
        env.putAll(driverEnv);
        ChildProcess l = ChildProcess.start("launcher", launcher, env, Set.of(), runDir, runDir);
        int code = l.awaitExit(Duration.ofMinutes(3));
        if (code != 0) {
            throw new AssertionError("Spark's launcher failed (exit " + code + ")\n" + l.describe(60));
        }
        List<String> tokens = commandTokens(readBytes(runDir.resolve("launcher.out")));
        // "env K=V ... java ..." when the launcher needs extra variables (e.g. spark.driver.extraLibraryPath)
        Map<String, String> launcherEnv = new LinkedHashMap<>();
        int i = 0;
        if (!tokens.isEmpty() && tokens.get(0).equals("env")) {
            i = 1;
            while (i < tokens.size() && tokens.get(i).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                String kv = tokens.get(i++);
                launcherEnv.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        List<String> command = tokens.subList(i, tokens.size());
        if (command.isEmpty() || !command.contains("org.apache.spark.deploy.SparkSubmit")) {
            throw new AssertionError("Spark's launcher printed no SparkSubmit command: " + tokens + "\n" + l.describe(60));
        }
        env.putAll(launcherEnv);
        ChildProcess driver = ChildProcess.start("driver", command, env, Set.of(), runDir, runDir);
        int exit = driver.awaitExit(limit);
        return new Result(List.copyOf(command), exit, driver.stdout(), driver.stderr(), driver);
    }

    private static byte[] readBytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The launcher's output as bin/spark-class reads it: optional message lines, then a line holding only a NUL
     * character, then the command's arguments, each followed by NUL.
     */
    private static List<String> commandTokens(byte[] bytes) {
        int start = 0;
        for (int k = 0; k + 1 < bytes.length; k++) {
            if (bytes[k] == 0 && bytes[k + 1] == '\n' && (k == 0 || bytes[k - 1] == '\n')) {
                start = k + 2;
                break;
            }
        }
        List<String> out = new ArrayList<>();
        for (int k = start; k < bytes.length; k++) {
            if (bytes[k] == 0) {
                out.add(new String(bytes, start, k - start, StandardCharsets.UTF_8));
                start = k + 1;
            }
        }
        return out;
    }
}
