package io.lather.models.internal;

import java.io.PrintStream;

/**
 * ND4J 1.0.0-M2.1's {@code SameDiff.createGradFunction} prints {@code "Added differentiated op <name>"} to
 * {@code System.out} for every op of every graph it differentiates, unconditionally (a left-over debug print; there is
 * no flag). Each executor thread builds its model once, so a training job's output would be interleaved with dozens of
 * such lines. {@link #install()} wraps {@code System.out} once per JVM in a stream that drops exactly those lines and
 * passes everything else through unchanged.
 */
public final class SameDiffOutputFilter extends PrintStream {
    private static final String NOISE = "Added differentiated op ";

    private SameDiffOutputFilter(PrintStream out) {
        super(out, true);
    }

    /** Installs the filter on {@code System.out} (idempotent, thread-safe). */
    public static synchronized void install() {
        if (!(System.out instanceof SameDiffOutputFilter)) {
            System.setOut(new SameDiffOutputFilter(System.out));
        }
    }

    @Override
    public void println(String line) {
        if (line == null || !line.startsWith(NOISE)) {
            super.println(line);
        }
    }
}
