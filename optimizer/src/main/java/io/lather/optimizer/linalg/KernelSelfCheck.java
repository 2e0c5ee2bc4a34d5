package io.lather.optimizer.linalg;

import java.util.SplittableRandom;

/**
 * A once-per-JVM check that the native LAPACK computes correct eigenvectors and QR factors at a size where LAPACK's
 * blocked code paths run.
 *
 * <p>Why: the OpenBLAS 0.3.19 bundled with ND4J M2.1 (JavaCPP 1.5.7, DYNAMIC_ARCH) selects its "SkylakeX" kernels on
 * AVX-512 CPUs, and their DTRMM returns wrong results. LAPACK's blocked Householder routines ({@code dlarfb}, used by
 * {@code dsyevd}/{@code dsyev}/{@code dsyevr}/{@code dgeqrf}/{@code dorgqr}) call DTRMM, so eigenvectors and QR
 * factors are silently wrong from n ≈ 128 up, while GEMM stays correct (measured here; OpenBLAS issues #2187, #2986
 * report the same class of AVX-512 kernel bugs). Selecting another kernel set with the environment variable
 * {@code OPENBLAS_CORETYPE=Haswell} before the JVM starts fixes it. Every Lather launcher sets it; this check turns a
 * launcher that forgot into a clear error instead of a silently wrong optimizer.
 */
public final class KernelSelfCheck {
    private static final int N = 192;
    private static volatile boolean verified;

    private KernelSelfCheck() {}

    /** Runs the check the first time it is called (a few milliseconds); throws if the kernels are broken. */
    public static void ensureVerified() {
        if (verified) {
            return;
        }
        synchronized (KernelSelfCheck.class) {
            if (!verified) {
                check();
                verified = true;
            }
        }
    }

    private static void check() {
        SplittableRandom rnd = new SplittableRandom(2026);
        double[] g = new double[N * N];
        for (int i = 0; i < g.length; i++) {
            g[i] = rnd.nextDouble() - 0.5;
        }
        double[] a = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) {
                    s += g[i * N + k] * g[j * N + k];
                }
                a[i * N + j] = s;
                a[j * N + i] = s;
            }
        }
        double[] q = a.clone();
        double[] w = new double[N];
        int info = Lapack.dsyevd(q, N, w);
        double scale = Math.max(Math.abs(w[0]), Math.abs(w[N - 1]));
        double eigResidual = info != 0 ? Double.NaN : 0;
        for (int j = 0; j < N && info == 0; j += 17) {
            for (int i = 0; i < N; i++) {
                double s = 0;
                for (int k = 0; k < N; k++) {
                    s += a[i * N + k] * q[k * N + j];
                }
                eigResidual = Math.max(eigResidual, Math.abs(s - w[j] * q[i * N + j]) / scale);
            }
        }
        double[] qr = g.clone();
        double[] r = new double[N * N];
        int qrInfo = Lapack.qr(qr, N, r);
        double qrResidual = qrInfo != 0 ? Double.NaN : 0;
        for (int i = 0; i < N && qrInfo == 0; i += 13) {
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) {
                    s += qr[i * N + k] * r[k * N + j];
                }
                qrResidual = Math.max(qrResidual, Math.abs(s - g[i * N + j]));
            }
        }
        if (!(eigResidual < 1e-10) || !(qrResidual < 1e-10)) {
            String core = System.getenv("OPENBLAS_CORETYPE");
            throw new IllegalStateException("LAPACK self-check failed: on this CPU the OpenBLAS 0.3.19 bundled with ND4J computes wrong "
                    + "eigenvectors/QR factors (relative eigen residual " + eigResidual + ", QR residual " + qrResidual
                    + ", OPENBLAS_CORETYPE=" + (core == null ? "<unset>" : core) + "). Cause: its AVX-512 (SkylakeX) DTRMM kernel is "
                    + "broken. Fix: set the environment variable OPENBLAS_CORETYPE=Haswell for this JVM before it starts "
                    + "(bin/lather, the test build and conf/spark-*.conf do this; with your own launcher: export OPENBLAS_CORETYPE=Haswell).");
        }
    }
}
