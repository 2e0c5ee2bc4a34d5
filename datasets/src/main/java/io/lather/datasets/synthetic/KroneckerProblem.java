package io.lather.datasets.synthetic;

import java.io.Serializable;

/**
 * The fixed parts of a Kronecker least-squares problem: the optimum W* (m×n) and the mixing matrices
 * L (m×m) and R (n×n), all row-major.
 *
 * @param config the configuration they were drawn from
 * @param wStar the optimum, m·n values, {@code wStar[i*n+j] = W*[i][j]}
 * @param l L, m·m values
 * @param r R, n·n values
 */
public record KroneckerProblem(KroneckerConfig config, double[] wStar, double[] l, double[] r)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Draws the problem of a configuration: W* entries N(0, 1) from stream {@code "w_star"}; L and R
   * from streams {@code "L"} and {@code "R"}, each U·diag(s)·Vᵀ with Haar-random orthogonal U, V
   * and singular values s_k = κ^(−k/(size−1)) from 1 down to 1/κ.
   *
   * @param config the configuration
   * @return the problem
   */
  public static KroneckerProblem of(KroneckerConfig config) {
    int m = config.m();
    int n = config.n();
    SplitMix64 w = SplitMix64.at(config.seed(), SplitMix64.streamId("w_star"), 0);
    double[] wStar = new double[m * n];
    for (int i = 0; i < wStar.length; i++) {
      wStar[i] = w.nextGaussian();
    }
    double[] l = Dense.illConditioned(m, config.kappaL(),
        SplitMix64.at(config.seed(), SplitMix64.streamId("L"), 0));
    double[] r = Dense.illConditioned(n, config.kappaR(),
        SplitMix64.at(config.seed(), SplitMix64.streamId("R"), 0));
    return new KroneckerProblem(config, wStar, l, r);
  }

  /**
   * The model's prediction ⟨W, X⟩ = Σ_ij W_ij X_ij, summed in row-major order in double, exactly as
   * the generator computes the labels (so with σ = 0, {@code predict(wStar, features) == label}
   * bit for bit).
   *
   * @param w parameters, m·n values row-major
   * @param features a row's features
   * @return the prediction
   */
  public static double predict(double[] w, float[] features) {
    double y = 0;
    for (int k = 0; k < w.length; k++) {
      y += w[k] * (double) features[k];
    }
    return y;
  }

  /**
   * The exact covariance of the features: Cov[X_ij, X_kl] = (LLᵀ)_ik · (RᵀR)_jl, i.e. the Kronecker
   * product (LLᵀ) ⊗ (RᵀR) in the row-major feature order.
   *
   * @return the (m·n)×(m·n) covariance, row-major
   */
  public double[] featureCovariance() {
    int m = config.m();
    int n = config.n();
    double[] llt = Dense.multiply(l, Dense.transpose(l, m, m), m, m, m);
    double[] rtr = Dense.multiply(Dense.transpose(r, n, n), r, n, n, n);
    int d = m * n;
    double[] cov = new double[d * d];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < m; k++) {
          for (int q = 0; q < n; q++) {
            cov[(i * n + j) * d + (k * n + q)] = llt[i * m + k] * rtr[j * n + q];
          }
        }
      }
    }
    return cov;
  }

  /**
   * One row's features X = L Z R for Z with i.i.d. N(0, 1) entries drawn row-major from
   * {@code rng}, rounded to float.
   */
  float[] features(SplitMix64 rng) {
    int m = config.m();
    int n = config.n();
    double[] z = new double[m * n];
    for (int k = 0; k < z.length; k++) {
      z[k] = rng.nextGaussian();
    }
    double[] x = Dense.multiply(Dense.multiply(l, z, m, m, n), r, m, n, n);
    float[] out = new float[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = (float) x[k];
    }
    return out;
  }
}
