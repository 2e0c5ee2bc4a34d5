package io.lather.datasets.synthetic;

/**
 * The few dense-matrix operations the generators need, on row-major {@code double[]}. Small matrices,
 * computed once on the driver (or per row for m×n ≤ a few thousand), so plain loops are enough and keep
 * this module free of a linear-algebra dependency.
 */
final class Dense {

  private Dense() {}

  /** C (r×c) = A (r×k) · B (k×c). */
  static double[] multiply(double[] a, double[] b, int r, int k, int c) {
    double[] out = new double[r * c];
    for (int i = 0; i < r; i++) {
      for (int p = 0; p < k; p++) {
        double aip = a[i * k + p];
        if (aip == 0) {
          continue;
        }
        for (int j = 0; j < c; j++) {
          out[i * c + j] += aip * b[p * c + j];
        }
      }
    }
    return out;
  }

  /** Aᵀ of an r×c matrix. */
  static double[] transpose(double[] a, int r, int c) {
    double[] out = new double[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        out[j * r + i] = a[i * c + j];
      }
    }
    return out;
  }

  /**
   * A random orthogonal n×n matrix, Haar-distributed: Q of the QR decomposition of a standard normal
   * matrix, with R's diagonal positive (modified Gram–Schmidt gives exactly that), which is the
   * condition for Q to be uniform on O(n) (Mezzadri, "How to generate random matrices from the
   * classical compact groups", 2007).
   */
  static double[] randomOrthogonal(int n, SplitMix64 rng) {
    double[] q = new double[n * n]; // columns of Q stored as rows of q for contiguous access
    for (int i = 0; i < n * n; i++) {
      q[i] = rng.nextGaussian();
    }
    for (int j = 0; j < n; j++) {
      for (int p = 0; p < j; p++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += q[j * n + i] * q[p * n + i];
        }
        for (int i = 0; i < n; i++) {
          q[j * n + i] -= dot * q[p * n + i];
        }
      }
      double norm = 0;
      for (int i = 0; i < n; i++) {
        norm += q[j * n + i] * q[j * n + i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) {
        q[j * n + i] /= norm;
      }
    }
    return transpose(q, n, n);
  }

  /**
   * U · diag(s) · Vᵀ for random orthogonal U, V and singular values s_i = κ^(−i/(n−1)), i = 0..n−1:
   * spectral norm 1, smallest singular value 1/κ, condition number exactly κ (n = 1 gives [1]).
   */
  static double[] illConditioned(int n, double kappa, SplitMix64 rng) {
    double[] u = randomOrthogonal(n, rng);
    double[] v = randomOrthogonal(n, rng);
    double[] us = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = n == 1 ? 1.0 : StrictMath.pow(kappa, -(double) j / (n - 1));
        us[i * n + j] = u[i * n + j] * s;
      }
    }
    return multiply(us, transpose(v, n, n), n, n, n);
  }
}
