package io.lather.datasets.synthetic;

import io.lather.datasets.DataErrors;
import io.lather.datasets.LatherTableProperties;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Kronecker-structured, ill-conditioned least-squares problem with a known optimum (see
 * {@link KroneckerLeastSquares}).
 *
 * @param m rows of the parameter matrix W* (and of L), ≥ 1
 * @param n columns of W* (and size of R), ≥ 1
 * @param kappaL condition number of L, ≥ 1 (the input covariance factor LLᵀ has κ_L²)
 * @param kappaR condition number of R, ≥ 1 (RᵀR has κ_R²)
 * @param noise standard deviation σ of the label noise, ≥ 0; σ = 0 makes W* an exact zero-loss
 *     optimum
 * @param seed the seed; W*, L, R and every row follow from it
 */
public record KroneckerConfig(int m, int n, double kappaL, double kappaR, double noise, long seed)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Validates every component. */
  public KroneckerConfig {
    if (m < 1) {
      throw DataErrors.invalidConfig("m", m, ">= 1");
    }
    if (n < 1) {
      throw DataErrors.invalidConfig("n", n, ">= 1");
    }
    if (!(kappaL >= 1) || Double.isInfinite(kappaL)) {
      throw DataErrors.invalidConfig("kappaL", kappaL, "finite and >= 1");
    }
    if (!(kappaR >= 1) || Double.isInfinite(kappaR)) {
      throw DataErrors.invalidConfig("kappaR", kappaR, "finite and >= 1");
    }
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw DataErrors.invalidConfig("noise", noise, "finite and >= 0");
    }
  }

  static final String KIND = "lather.synthetic.kind";

  /** @return the {@code lather.synthetic.*} properties that reproduce this configuration */
  public Map<String, String> toProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(KIND, "kronecker-least-squares");
    p.put("lather.synthetic.m", String.valueOf(m));
    p.put("lather.synthetic.n", String.valueOf(n));
    p.put("lather.synthetic.kappa_l", String.valueOf(kappaL));
    p.put("lather.synthetic.kappa_r", String.valueOf(kappaR));
    p.put("lather.synthetic.noise", String.valueOf(noise));
    p.put("lather.synthetic.seed", String.valueOf(seed));
    p.put("lather.synthetic.layout", "features[i*n+j] = X[i][j], X = L Z R (m x n, row-major)");
    return p;
  }

  /**
   * Rebuilds the configuration of a table written by {@link KroneckerLeastSquares}.
   *
   * @param properties the table's properties
   * @return the configuration
   */
  public static KroneckerConfig fromProperties(LatherTableProperties properties) {
    Map<String, String> x = properties.extra();
    if (!"kronecker-least-squares".equals(x.get(KIND))) {
      throw DataErrors.invalidConfig(KIND, x.get(KIND), "kronecker-least-squares for this table");
    }
    return new KroneckerConfig(Integer.parseInt(x.get("lather.synthetic.m")),
        Integer.parseInt(x.get("lather.synthetic.n")),
        Double.parseDouble(x.get("lather.synthetic.kappa_l")),
        Double.parseDouble(x.get("lather.synthetic.kappa_r")),
        Double.parseDouble(x.get("lather.synthetic.noise")),
        Long.parseLong(x.get("lather.synthetic.seed")));
  }

  /** @return a one-line description with every parameter (the table's {@code lather.source}) */
  public String describe() {
    return "synthetic Kronecker least squares: W* " + m + "x" + n + ", kappa_L " + kappaL
        + ", kappa_R " + kappaR + ", noise " + noise + ", seed " + seed;
  }
}
