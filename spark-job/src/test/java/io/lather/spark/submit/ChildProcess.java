package io.lather.spark.submit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A JVM (or other process) started by a test, with stdout and stderr in files under its log directory. Waiting has
 * generous limits that only guard against hangs (they do not assert speed); every failure message carries the
 * process's command and the tails of its logs. {@link #stop()} ends the process and the processes it started
 * (a Worker's executors): first politely (SIGTERM, so JVM shutdown hooks run), then forcibly.
 */
final class ChildProcess {
    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildProcess(String name, List<String> command, Process process, Path out, Path err) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts a process.
     *
     * @param name short name, also the log file prefix
     * @param command the command line
     * @param env variables to set on top of this JVM's environment
     * @param unset variables of this JVM's environment that the child must not inherit
     * @param workDir working directory
     * @param logDir where {@code <name>.out} and {@code <name>.err} go
     */
    static ChildProcess start(String name, List<String> command, Map<String, String> env, Set<String> unset, Path workDir,
            Path logDir) {
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(logDir);
            Path out = logDir.resolve(name + ".out");
            Path err = logDir.resolve(name + ".err");
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            unset.forEach(pb.environment()::remove);
            pb.environment().putAll(env);
            return new ChildProcess(name, List.copyOf(command), pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    List<String> command() {
        return command;
    }

    String stdout() {
        return SubmitSupport.read(out);
    }

    String stderr() {
        return SubmitSupport.read(err);
    }

    /**
     * Waits for the process to end.
     *
     * @return its exit code
     * @throws AssertionError if it is still running after {@code limit} (it is then stopped)
     */
    int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                stop();
                throw new AssertionError(name + " did not finish within " + limit + " (stopped it)\n" + describe(80));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
        return process.exitValue();
    }

    /**
     * Polls the process's stdout and stderr until {@code pattern} matches.
     *
     * @param what what the line means, for the failure message
     * @throws AssertionError if the process exits first or the line does not appear within {@code limit}
     */
    void awaitLog(Pattern pattern, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (pattern.matcher(stderr()).find() || pattern.matcher(stdout()).find()) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with code " + process.exitValue() + " before " + what + "\n" + describe(80));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no sign of " + what + " (/" + pattern + "/) within " + limit + "\n" + describe(80));
            }
            sleep(250);
        }
    }

    /** The command and the last {@code lines} lines of both logs. */
    String describe(int lines) {
        return "--- " + name + " command: " + String.join(" ", command) + "\n--- " + name + " stdout (" + out + ", tail):\n"
                + SubmitSupport.tail(stdout(), lines) + "\n--- " + name + " stderr (" + err + ", tail):\n"
                + SubmitSupport.tail(stderr(), lines) + "\n";
    }

    /** Ends the process and everything it started; idempotent. */
    void stop() {
        // snapshot the descendants first: once the parent is gone its children are re-parented and harder to find
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        process.destroy();
        waitGone(process.toHandle(), Duration.ofSeconds(30));
        if (process.isAlive()) {
            process.destroyForcibly();
            waitGone(process.toHandle(), Duration.ofSeconds(10));
        }
        for (ProcessHandle h : family) {
            if (h.isAlive()) {
                h.destroy();
            }
        }
        for (ProcessHandle h : family) {
            waitGone(h, Duration.ofSeconds(15));
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    private static void waitGone(ProcessHandle h, Duration limit) {
        try {
            h.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // caller escalates
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
