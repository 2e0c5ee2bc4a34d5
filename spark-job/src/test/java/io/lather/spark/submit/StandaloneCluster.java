package io.lather.spark.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1: one {@code org.apache.spark.deploy.master.Master} and N
 * {@code org.apache.spark.deploy.worker.Worker} JVMs started from a {@link SparkHome} the way
 * {@code sbin/start-master.sh} / {@code start-worker.sh} start them ({@code java -cp conf/:jars/* <class> <args>}).
 * Workers launch executors through {@code $SPARK_HOME} (WorkerCommandBuilder: {@code $SPARK_HOME/jars/*}), in
 * {@code <work-dir>/<app-id>/<executor-id>/} with the executor's stdout/stderr there.
 *
 * <p>The daemons do NOT inherit {@code OPENBLAS_CORETYPE} or {@code OMP_NUM_THREADS} from the test JVM: executors
 * inherit their Worker's environment, so only {@code spark.executorEnv.*} (the properties file, and Spark's own
 * OMP_NUM_THREADS default) can give them these, which is what the tests check.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Duration READY = Duration.ofMinutes(3);

    private final ChildProcess master;
    private final List<ChildProcess> workers = new ArrayList<>();
    private final List<Path> workDirs = new ArrayList<>();
    private final int port;
    private final int webUiPort;

    private StandaloneCluster(ChildProcess master, int port, int webUiPort) {
        this.master = master;
        this.port = port;
        this.webUiPort = webUiPort;
    }

    /**
     * Starts a Master and {@code workers} Workers and waits until every Worker is registered and ALIVE.
     *
     * @param dir logs, work directories
     * @param cores cores per Worker
     * @param memory memory per Worker (Worker {@code --memory})
     */
    static StandaloneCluster start(SparkHome home, Path dir, int workers, int cores, String memory) {
        int port = SubmitSupport.freePort();
        int ui = SubmitSupport.freePort();
        Set<String> unset = Set.of("OPENBLAS_CORETYPE", "OMP_NUM_THREADS");
        ChildProcess master = ChildProcess.start("master", daemon(home, "org.apache.spark.deploy.master.Master",
                List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(ui))),
                home.env(), unset, dir, dir);
        StandaloneCluster c = new StandaloneCluster(master, port, ui);
        try {
            master.awaitLog(Pattern.compile("I have been elected leader"), READY, "the Master becoming ALIVE");
            for (int i = 0; i < workers; i++) {
                Path work = dir.resolve("worker-" + i);
                c.workDirs.add(work);
                ChildProcess w = ChildProcess.start("worker-" + i, daemon(home, "org.apache.spark.deploy.worker.Worker",
                        List.of(c.masterUrl(), "--host", "127.0.0.1", "--cores", Integer.toString(cores), "--memory", memory,
                                "--work-dir", work.toString(), "--webui-port", Integer.toString(SubmitSupport.freePort()))),
                        home.env(), unset, dir, dir);
                c.workers.add(w);
            }
            for (ChildProcess w : c.workers) {
                w.awaitLog(Pattern.compile("Successfully registered with master"), READY, "the Worker registering with the Master");
            }
            c.awaitAliveWorkers(workers);
        } catch (RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static List<String> daemon(SparkHome home, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(SubmitSupport.java(), "-Xmx512m"));
        cmd.addAll(SubmitSupport.moduleOptions());
        cmd.addAll(List.of("-cp", home.classpath(), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    private void awaitAliveWorkers(int n) {
        long deadline = System.nanoTime() + READY.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = masterJson();
            if (last.path("aliveworkers").asInt(-1) == n) {
                return;
            }
            ChildProcess.sleep(250);
        }
        throw new AssertionError("the Master reports " + (last == null ? "nothing" : last.path("aliveworkers")) + " alive workers, "
                + "expected " + n + "\n" + describe());
    }

    /** {@code spark://127.0.0.1:<port>}. */
    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** The Master's state as its web UI serves it at {@code /json}. */
    JsonNode masterJson() {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + webUiPort + "/json").openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(10000);
            try (InputStream in = c.getInputStream()) {
                return new ObjectMapper().readTree(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Master's /json on port " + webUiPort + "\n" + master.describe(40), e);
        }
    }

    /** The Workers' {@code --work-dir}s, in Worker order. */
    List<Path> workDirs() {
        return workDirs;
    }

    List<ChildProcess> workers() {
        return workers;
    }

    /** Logs of all daemons, for failure messages. */
    String describe() {
        StringBuilder sb = new StringBuilder(master.describe(40));
        workers.forEach(w -> sb.append(w.describe(40)));
        return sb.toString();
    }

    /** Stops the Workers (and their executors), then the Master. */
    @Override
    public void close() {
        for (ChildProcess w : workers) {
            w.stop();
        }
        master.stop();
    }

    /** Environment variables of a live process (Linux /proc), or empty if it is gone or unreadable. */
    static Map<String, String> environment(ProcessHandle h) {
        Path environ = Path.of("/proc", Long.toString(h.pid()), "environ");
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(environ);
            Map<String, String> out = new java.util.LinkedHashMap<>();
            for (String kv : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    out.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return out;
        } catch (IOException e) {
            return Map.of();
        }
    }
}
