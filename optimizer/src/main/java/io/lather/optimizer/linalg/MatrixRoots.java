package io.lather.optimizer.linalg;

import io.lather.optimizer.config.EigendecompositionConfig;
import io.lather.optimizer.config.Precision;
import io.lather.optimizer.config.RankDeficiencyConfig;
import io.lather.optimizer.config.RootComputationConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Inverse matrix roots (ALGORITHMS.md §6.2, §6.3, §6.7, §6.8), all in float64. */
public final class MatrixRoots {
    private MatrixRoots() {}

    /**
     * φ(λ) for an inverse root from eigenvalues, with the rank-deficiency rule of §6.2:
     * perturbation before — if min λ &lt; ε shift every λ by ε − min λ (nothing is added otherwise);
     * perturbation after — λ − min(min λ, 0) + ε; pseudo-inverse — 0 where λ ≤ max(atol, rtol·max λ).
     *
     * @param eigenvalues λ (any precision; read as float64)
     * @param root r &gt; 0
     * @param epsilon ε
     * @param rank the rank-deficiency rule
     * @param eigenvaluePrecision precision the eigenvalues are stored in (its machine ε is the default rtol)
     */
    public static double[] inverseRootScaling(INDArray eigenvalues, double root, double epsilon, RankDeficiencyConfig rank,
            Precision eigenvaluePrecision) {
        double[] l = Tensors.toRowMajor(eigenvalues);
        int n = l.length;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : l) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] phi = new double[n];
        double exponent = -1.0 / root;
        if (rank instanceof RankDeficiencyConfig.PseudoInverse p) {
            double machineEps = eigenvaluePrecision == Precision.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
            double rtol = Double.isNaN(p.rankRtol()) ? n * machineEps : p.rankRtol();
            double cutoff = Math.max(p.rankAtol(), rtol * Math.max(max, 0.0));
            for (int i = 0; i < n; i++) {
                phi[i] = l[i] <= cutoff ? 0.0 : Math.pow(l[i], exponent);
            }
            return phi;
        }
        boolean before = ((RankDeficiencyConfig.Perturbation) rank).perturbBeforeComputation();
        for (int i = 0; i < n; i++) {
            double v = l[i];
            if (before) {
                if (min < epsilon) {
                    v = (v - min) + epsilon;
                }
            } else {
                v = (v - Math.min(min, 0.0)) + epsilon;
            }
            phi[i] = Math.pow(v, exponent);
        }
        return phi;
    }

    /** Q·diag(φ(λ))·Qᵀ in float64 (ALGORITHMS.md §6.2). */
    public static INDArray inverseRootFromEigenpairs(INDArray eigenvalues, INDArray eigenvectors, double root, double epsilon,
            RankDeficiencyConfig rank, Precision eigenvaluePrecision) {
        return inverseRootFromEigenpairs(eigenvalues, eigenvectors, root, epsilon, rank, eigenvaluePrecision, null);
    }

    /** {@link #inverseRootFromEigenpairs} with the reconstruction in {@code scratch} (see {@link Tensors#reconstruct}). */
    static INDArray inverseRootFromEigenpairs(INDArray eigenvalues, INDArray eigenvectors, double root, double epsilon,
            RankDeficiencyConfig rank, Precision eigenvaluePrecision, WorkBuffers scratch) {
        double[] phi = inverseRootScaling(eigenvalues, root, epsilon, rank, eigenvaluePrecision);
        return Tensors.reconstruct(eigenvectors.castTo(DataType.DOUBLE), Nd4j.createFromArray(phi), scratch);
    }

    /**
     * X ≈ (A + εI)^(−1/r) by the configured method (ALGORITHMS.md §6.3).
     *
     * @throws MatrixFunctionFailure when the method cannot produce a result (counted by the failure policy)
     */
    public static INDArray inverseRoot(INDArray a, double root, RootComputationConfig config, double epsilon,
            SymmetricEigensolver solver) {
        return inverseRoot(a, root, config, epsilon, solver, null);
    }

    /**
     * {@link #inverseRoot(INDArray, double, RootComputationConfig, double, SymmetricEigensolver)} with the eigen method's
     * working memory in {@code scratch} when given: its result may then be a scratch buffer, valid until the next call with
     * that scratch.
     */
    public static INDArray inverseRoot(INDArray a, double root, RootComputationConfig config, double epsilon,
            SymmetricEigensolver solver, WorkBuffers scratch) {
        if (!(root > 0)) {
            throw new MatrixFunctionFailure("inverse root needs a positive root, got " + root);
        }
        if (config instanceof RootComputationConfig.Eigen e) {
            EigendecompositionResult r = Eigendecompositions.compute(a, epsilon,
                    new EigendecompositionConfig.Eigh(e.rankDeficiency(), 0.0, e.retryWithAlternativeSolver()), null, solver, scratch);
            return inverseRootFromEigenpairs(r.eigenvalues(), r.eigenvectors(), root, epsilon, e.rankDeficiency(), Precision.FLOAT64,
                    scratch);
        }
        if (config instanceof RootComputationConfig.CoupledNewton cn) {
            return coupledNewton(a, root, epsilon, cn.maxIterations(), cn.tolerance());
        }
        RootComputationConfig.CoupledHigherOrder ho = (RootComputationConfig.CoupledHigherOrder) config;
        return coupledHigherOrder(a, root, ho);
    }

    /** Coupled inverse Newton iteration for an integer root p (ALGORITHMS.md §6.7); returns even without convergence. */
    static INDArray coupledNewton(INDArray a, double root, double epsilon, int maxIterations, double tolerance) {
        long[] frac = exactFraction(root);
        if (frac[1] != 1) {
            throw new MatrixFunctionFailure("coupled Newton needs an integer root, got " + root
                    + " (use the eigen root computation or an exponent 1/p with integer p)");
        }
        int p = Math.toIntExact(frac[0]);
        int n = Tensors.squareSize(a);
        INDArray eye = Nd4j.eye(n).castTo(DataType.DOUBLE);
        INDArray ar = a.castTo(DataType.DOUBLE).add(eye.mul(epsilon));
        double alpha = -1.0 / p;
        double z = (p + 1) / (2.0 * ar.norm2Number().doubleValue());
        INDArray x = eye.mul(Math.pow(z, 1.0 / p));
        INDArray m = ar.mul(z);
        double err = maxAbs(m.sub(eye));
        int it = 0;
        while (err > tolerance && it < maxIterations) {
            it++;
            INDArray mp = m.mul(alpha).addi(eye.mul(1 - alpha));
            x = Tensors.matmul(x, mp);
            m = Tensors.matmul(matrixPower(mp, p), m);
            err = maxAbs(m.sub(eye));
        }
        return x;
    }

    /** Coupled higher-order iteration for a rational root p/q (ALGORITHMS.md §6.8). */
    static INDArray coupledHigherOrder(INDArray a, double root, RootComputationConfig.CoupledHigherOrder cfg) {
        long[] frac = exactFraction(root);
        long p = frac[0];
        long q = frac[1];
        int order = cfg.order();
        double[] coeff = new double[order];
        coeff[0] = 1.0;
        for (int i = 1; i < order; i++) {
            coeff[i] = coeff[i - 1] * (1.0 + (i - 1) * (double) p) / (i * (double) p);
        }
        int n = Tensors.squareSize(a);
        INDArray eye = Nd4j.eye(n).castTo(DataType.DOUBLE);
        INDArray ad = a.castTo(DataType.DOUBLE);
        double lambdaMax = infNorm(ad);
        if (!Double.isFinite(lambdaMax)) {
            throw new MatrixFunctionFailure("coupled higher-order iteration: the matrix is not finite");
        }
        double e = Math.max(cfg.relEpsilon() * lambdaMax, cfg.absEpsilon());
        INDArray ar = ad.add(eye.mul(e));
        double z = 1.0 / trace(ar);
        INDArray x = eye.mul(Math.pow(z, 1.0 / p));
        INDArray m = ar.mul(z);
        double s = -1.0 / p;
        INDArray mp = m.mul(s).addi(eye.mul(1 - s));
        x = Tensors.matmul(x, mp);
        m = Tensors.matmul(matrixPower(mp, p), m);
        double err = maxAbs(m.sub(eye));
        int it = 1;
        while (err > cfg.tolerance() && it < cfg.maxIterations()) {
            it++;
            INDArray delta = eye.sub(m);
            INDArray poly = delta.mul(coeff[order - 1]).addi(eye.mul(coeff[order - 2]));
            for (int i = order - 3; i >= 0; i--) {
                poly = eye.mul(coeff[i]).addi(Tensors.matmul(poly, delta));
            }
            x = Tensors.matmul(x, poly);
            m = Tensors.matmul(matrixPower(poly, p), m);
            double errNew = maxAbs(m.sub(eye));
            if (errNew > 1.2 * err || (errNew == err && err < 1e-3)) {
                break; // early stop, as the reference: the iterate that stopped improving is kept
            }
            err = errNew;
        }
        double trueErr = maxAbs(Tensors.matmul(ar, matrixPower(x, p)).sub(eye));
        if (trueErr > 0.1) {
            throw new MatrixFunctionFailure("coupled higher-order iteration did not reach the inverse root (error " + trueErr + " > 0.1)");
        }
        if (q > 1) {
            x = matrixPower(x, q);
        }
        if (!Tensors.allFinite(x)) {
            throw new MatrixFunctionFailure("coupled higher-order iteration produced non-finite values");
        }
        return x;
    }

    /** A^k for k ≥ 0 by binary exponentiation. */
    static INDArray matrixPower(INDArray a, long k) {
        int n = Tensors.squareSize(a);
        INDArray result = null;
        INDArray base = a;
        while (k > 0) {
            if ((k & 1) == 1) {
                result = result == null ? base.dup() : Tensors.matmul(result, base);
            }
            k >>= 1;
            if (k > 0) {
                base = Tensors.matmul(base, base);
            }
        }
        return result == null ? Nd4j.eye(n).castTo(a.dataType()) : result;
    }

    /** The exact fraction p/q (lowest terms) of a double. */
    static long[] exactFraction(double v) {
        BigDecimal d = new BigDecimal(v);
        BigInteger num = d.unscaledValue();
        BigInteger den = BigInteger.TEN.pow(Math.max(d.scale(), 0));
        if (d.scale() < 0) {
            num = num.multiply(BigInteger.TEN.pow(-d.scale()));
        }
        BigInteger g = num.gcd(den);
        num = num.divide(g);
        den = den.divide(g);
        if (num.bitLength() > 62 || den.bitLength() > 62) {
            throw new MatrixFunctionFailure("root " + v + " is not a representable rational p/q with 64-bit p and q");
        }
        return new long[] {num.longValueExact(), den.longValueExact()};
    }

    private static double maxAbs(INDArray x) {
        return x.amaxNumber().doubleValue();
    }

    private static double infNorm(INDArray a) {
        return org.nd4j.linalg.ops.transforms.Transforms.abs(a, true).sum(1).maxNumber().doubleValue();
    }

    private static double trace(INDArray a) {
        return Nd4j.diag(a).sumNumber().doubleValue();
    }
}
