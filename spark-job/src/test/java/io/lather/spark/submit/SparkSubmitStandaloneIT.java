package io.lather.spark.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * spark-submit for real against a real standalone cluster: a Master and two one-core Workers started from Spark's jars
 * on 127.0.0.1 ({@link StandaloneCluster}), the job submitted in client mode with {@code conf/spark-cluster.conf},
 * {@code --total-executor-cores 2 --executor-memory 1g}. Checks the exit code, the printed digests, the Delta tables,
 * that executors on BOTH Workers ran tasks, that each executor process got {@code OPENBLAS_CORETYPE=Haswell} and
 * {@code OMP_NUM_THREADS=1} from {@code spark.executorEnv} (the Workers themselves do not have them), and that the
 * digests equal the local[2] run's:
 * same data order and ordered reduction, so distributed = local bit for bit.
 */
class SparkSubmitStandaloneIT {
    static final String MODE = "standalone";
    private static final Pattern FINISHED_TASK = Pattern.compile("Finished task \\S+ in stage \\S+ \\(TID \\d+\\)");

    private static Path dir;
    private static SparkHome home;
    private static StandaloneCluster cluster;
    private static SparkSession reader;

    @BeforeAll
    static void startCluster() {
        dir = SubmitSupport.freshDir(SubmitSupport.itDir().resolve(MODE));
        home = SparkHome.create(dir.resolve("spark-home"), ClasspathSplit.of(SubmitSupport.jobJar()).sparkJars());
        long t0 = System.nanoTime();
        cluster = StandaloneCluster.start(home, dir.resolve("cluster"), 2, 1, "2g");
        System.out.printf("standalone cluster (master + 2 workers) ready after %.1f s at %s%n", (System.nanoTime() - t0) / 1e9,
                cluster.masterUrl());
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (reader != null) {
                reader.stop();
            }
        }
    }

    @Test
    void trainsOnTwoWorkersBitwiseLikeLocal() {
        Path data = dir.resolve("data");
        ExecutorEnvProbe probe = new ExecutorEnvProbe(cluster.workers());
        probe.start();
        long t0 = System.nanoTime();
        SparkSubmit.Result r;
        try {
            r = SparkSubmit.run(home, SubmittedTraining.standaloneSubmitArgs(cluster.masterUrl(), data),
                    SubmittedTraining.DRIVER_ENV, dir.resolve("run"), Duration.ofMinutes(30));
        } finally {
            probe.halt();
        }
        System.out.printf("spark-submit --master %s: exit %d after %.1f s%n", cluster.masterUrl(), r.exitCode(),
                (System.nanoTime() - t0) / 1e9);
        SparkSubmit.Result result = r;
        SubmittedTraining.Digests d = SubmittedTraining.assertFinished(r);
        assertTrue(r.driverCommand().contains("-Xmx4g"), () -> "spark.driver.memory = 4g of conf/spark-cluster.conf not applied: "
                + result.driverCommand());

        // executors on both Workers ran tasks of this one application
        List<String> apps = new ArrayList<>();
        for (int w = 0; w < cluster.workDirs().size(); w++) {
            Path work = cluster.workDirs().get(w);
            List<Path> appDirs = list(work).stream().filter(p -> p.getFileName().toString().startsWith("app-")).toList();
            int worker = w;
            assertEquals(1, appDirs.size(), () -> "worker-" + worker + " ran " + appDirs + "; expected one application\n"
                    + cluster.describe() + result.describe());
            apps.add(appDirs.get(0).getFileName().toString());
            int tasks = 0;
            for (Path exec : list(appDirs.get(0))) {
                Matcher m = FINISHED_TASK.matcher(SubmitSupport.read(exec.resolve("stderr")));
                while (m.find()) {
                    tasks++;
                }
            }
            int finished = tasks;
            System.out.printf("worker-%d: application %s, %d finished tasks in its executors' logs%n", w, apps.get(w), finished);
            assertTrue(finished > 0, () -> "no executor of worker-" + worker + " finished a task (logs under " + appDirs.get(0) + ")\n"
                    + cluster.describe());
        }
        assertEquals(1, Set.copyOf(apps).size(), "both workers ran the same application: " + apps);
        JsonNode state = cluster.masterJson();
        boolean finishedApp = false;
        for (JsonNode app : state.path("completedapps")) {
            if (app.path("id").asText().equals(apps.get(0))) {
                assertEquals("FINISHED", app.path("state").asText(), "state of " + apps.get(0) + " at the Master");
                finishedApp = true;
            }
        }
        assertTrue(finishedApp, () -> "the Master does not list " + apps.get(0) + " as completed: " + state);

        // spark.executorEnv.OPENBLAS_CORETYPE reached every executor JVM (their Workers do not have the variable)
        Map<Long, ExecutorEnvProbe.Seen> seen = probe.seen();
        System.out.println("executor processes seen: " + seen.values());
        for (int w = 0; w < cluster.workers().size(); w++) {
            int worker = w;
            assertTrue(seen.values().stream().anyMatch(s -> s.worker() == worker),
                    () -> "saw no executor process of worker-" + worker + " while the job ran: " + seen.values());
        }
        assertTrue(seen.values().stream().allMatch(s -> "Haswell".equals(s.openblasCoretype())),
                () -> "an executor ran without OPENBLAS_CORETYPE=Haswell: " + seen.values());
        assertTrue(seen.values().stream().allMatch(s -> "1".equals(s.ompNumThreads())),
                () -> "an executor ran without OMP_NUM_THREADS=1: " + seen.values());

        reader = SubmittedTraining.readerSession();
        SubmittedTraining.assertTablesHoldRun(reader, data, d);
        SubmittedTraining.store(MODE, d);

        SubmittedTraining.Digests local = SubmittedTraining.stored(SparkSubmitLocalIT.MODE).orElseGet(() -> {
            // SparkSubmitLocalIT has not run for this jar: run the same job on local[2] here
            Path localDir = SubmitSupport.freshDir(dir.resolve("local-reference"));
            SubmittedTraining.Digests ld = SubmittedTraining.assertFinished(SubmittedTraining.submitLocal(home, localDir));
            SubmittedTraining.store(SparkSubmitLocalIT.MODE, ld);
            return ld;
        });
        assertEquals(local, d, "standalone cluster vs local[2]: same data order and ordered reduction must give bitwise "
                + "identical parameters and optimizer state");
        System.out.println("standalone digests " + d + ", equal to the local[2] run's");
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Watches the Workers' child processes while the job runs and records, for each executor JVM
     * ({@code CoarseGrainedExecutorBackend}), the value of {@code OPENBLAS_CORETYPE} in its environment (Linux
     * {@code /proc/<pid>/environ}; the test owns these processes).
     */
    static final class ExecutorEnvProbe extends Thread {
        record Seen(int worker, long pid, String openblasCoretype, String ompNumThreads) {}

        private final List<ChildProcess> workers;
        private final Map<Long, Seen> seen = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        ExecutorEnvProbe(List<ChildProcess> workers) {
            super("executor-env-probe");
            setDaemon(true);
            this.workers = workers;
        }

        @Override
        public void run() {
            while (running) {
                for (int w = 0; w < workers.size(); w++) {
                    int worker = w;
                    // direct children only: a process an executor forks briefly carries the executor's command line
                    workers.get(w).process().children().forEach(h -> {
                        if (!seen.containsKey(h.pid()) && isExecutor(h)) {
                            Map<String, String> env = StandaloneCluster.environment(h);
                            if (!env.isEmpty()) {
                                seen.put(h.pid(), new Seen(worker, h.pid(), env.getOrDefault("OPENBLAS_CORETYPE", "<unset>"),
                                        env.getOrDefault("OMP_NUM_THREADS", "<unset>")));
                            }
                        }
                    });
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static boolean isExecutor(ProcessHandle h) {
            try {
                byte[] cmd = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
                return new String(cmd, StandardCharsets.UTF_8).contains("org.apache.spark.executor.CoarseGrainedExecutorBackend");
            } catch (IOException e) {
                return false; // exited meanwhile
            }
        }

        void halt() {
            running = false;
            interrupt();
            try {
                join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Map<Long, Seen> seen() {
            return seen;
        }
    }
}
