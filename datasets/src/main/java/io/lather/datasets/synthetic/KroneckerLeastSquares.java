package io.lather.datasets.synthetic;

import io.lather.datasets.DataErrors;
import io.lather.datasets.LatherTable;
import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.internal.DeltaIo;
import io.lather.datasets.internal.TableWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Generates Kronecker-structured, ill-conditioned least squares with a known optimum — the problem
 * Shampoo's preconditioner is built for.
 *
 * <p>Each row: Z (m×n) with i.i.d. N(0, 1) entries; X = L Z R; {@code features} = X row-major
 * ({@code features[i*n+j] = X[i][j]}, rounded to float); {@code label} y = ⟨W*, X⟩ + σ ε, computed from
 * the float features in double ({@link KroneckerProblem#predict}). With σ = 0 the squared loss at W* is
 * exactly zero. The feature covariance is (LLᵀ) ⊗ (RᵀR) (row-major order): the gradient of the
 * squared loss w.r.t. W has Shampoo factors E[G Gᵀ] ∝ LLᵀ and E[Gᵀ G] ∝ RᵀR near the optimum, with
 * condition numbers κ_L² and κ_R².
 *
 * <p>Row r of split s draws from {@code SplitMix64.at(seed, streamId("rows/" + s), r)}: identical
 * whatever the partitioning. W*, L and R depend on the seed only (same for every split).
 *
 * <p>Storage: the table's properties hold m, n, κ_L, κ_R, σ, seed ({@code lather.synthetic.*}) and
 * {@value #OPTIMUM_TABLE_PROPERTY} = the companion Delta table {@code <table>_optimum}, with columns
 * {@code name STRING, shape ARRAY<INT>, values ARRAY<DOUBLE>} and rows {@code w_star [m,n]},
 * {@code L [m,m]}, {@code R [n,n]} (row-major values). {@link #readOptimum} reads it back;
 * {@link KroneckerProblem#of} recomputes the same values from the properties.
 */
public final class KroneckerLeastSquares {

  private KroneckerLeastSquares() {}

  /** Table property naming the companion optimum table. */
  public static final String OPTIMUM_TABLE_PROPERTY = "lather.optimum.table";

  /** Schema of the companion optimum table. */
  public static final StructType OPTIMUM_SCHEMA = new StructType()
      .add("name", DataTypes.StringType, false)
      .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, true), false)
      .add("values", DataTypes.createArrayType(DataTypes.DoubleType, true), false);

  /**
   * @param tablePath a Kronecker table's location
   * @return its companion optimum table's location ({@code <table>_optimum})
   */
  public static String optimumPath(String tablePath) {
    String p = DeltaIo.qualify(tablePath);
    return (p.endsWith("/") ? p.substring(0, p.length() - 1) : p) + "_optimum";
  }

  /**
   * The rows of a split as a lazily computed frame in the Lather schema (not written).
   *
   * @param spark the session
   * @param problem the problem (from {@link KroneckerProblem#of})
   * @param split split name (selects the row stream)
   * @param rows number of rows, ≥ 1
   * @param partitions number of partitions, ≥ 1 (does not change the rows)
   * @return the frame
   */
  public static Dataset<Row> rows(SparkSession spark, KroneckerProblem problem, String split,
      long rows, int partitions) {
    TeacherStudent.checkSize(rows, partitions, split);
    long stream = SplitMix64.streamId("rows/" + split);
    KroneckerConfig c = problem.config();
    MapFunction<Long, Row> generate = id -> {
      SplitMix64 rng = SplitMix64.at(c.seed(), stream, id);
      float[] x = problem.features(rng);
      double y = KroneckerProblem.predict(problem.wStar(), x);
      if (c.noise() > 0) {
        y += c.noise() * rng.nextGaussian();
      }
      return RowFactory.create(id, split, y, x);
    };
    return spark.range(0, rows, 1, partitions)
        .map(generate, Encoders.row(LatherTable.frameSchema(false)));
  }

  /**
   * Generates a split and writes it with its companion optimum table (validated first; kept if an
   * identical table exists).
   *
   * @param spark a session with Delta enabled
   * @param config the configuration
   * @param split split name
   * @param rows number of rows
   * @param partitions number of partitions (and data files)
   * @param output target table location; the optimum goes to {@link #optimumPath(String)}
   * @param overwrite replace a different existing table
   * @return the written or kept table
   */
  public static LatherTableInfo generate(SparkSession spark, KroneckerConfig config, String split,
      long rows, int partitions, String output, boolean overwrite) {
    TeacherStudent.checkSize(rows, partitions, split);
    String path = DeltaIo.qualify(output);
    String optimum = optimumPath(path);
    KroneckerProblem problem = KroneckerProblem.of(config);
    Map<String, String> extra = new HashMap<>(config.toProperties());
    extra.put(OPTIMUM_TABLE_PROPERTY, optimum);
    TableWriter.Request request = new TableWriter.Request(path, path,
        config.describe() + "; split " + split + ", " + rows + " rows", 0,
        config.m() * config.n(), rows, List.of(), List.of(), List.of(), extra, overwrite,
        // Written only once the rows passed validation, just before the main table.
        () -> writeOptimum(spark, problem, optimum, path));
    LatherTableInfo info = TableWriter.write(spark,
        () -> rows(spark, problem, split, rows, partitions), request);
    if (!info.written() && !DeltaIo.exists(spark, optimum)) {
      writeOptimum(spark, problem, optimum, path); // kept table whose companion was deleted
    }
    return info;
  }

  private static void writeOptimum(SparkSession spark, KroneckerProblem p, String optimum,
      String table) {
    int m = p.config().m();
    int n = p.config().n();
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create("w_star", new int[] {m, n}, p.wStar()));
    rows.add(RowFactory.create("L", new int[] {m, m}, p.l()));
    rows.add(RowFactory.create("R", new int[] {n, n}, p.r()));
    Map<String, String> props = new HashMap<>(p.config().toProperties());
    props.put("lather.optimum.of", table);
    DeltaIo.createOrReplace(spark.createDataFrame(rows, OPTIMUM_SCHEMA).coalesce(1), optimum,
        props);
  }

  /**
   * Reads a companion optimum table.
   *
   * @param spark a session with Delta enabled
   * @param optimumTable its location (the main table's {@value #OPTIMUM_TABLE_PROPERTY})
   * @return W*, L, R and the configuration
   */
  public static KroneckerProblem readOptimum(SparkSession spark, String optimumTable) {
    String path = DeltaIo.qualify(optimumTable);
    if (!DeltaIo.exists(spark, path)) {
      throw DataErrors.tableNotFound(path);
    }
    Map<String, String> props = DeltaIo.properties(spark, path);
    KroneckerConfig config = new KroneckerConfig(
        Integer.parseInt(props.get("lather.synthetic.m")),
        Integer.parseInt(props.get("lather.synthetic.n")),
        Double.parseDouble(props.get("lather.synthetic.kappa_l")),
        Double.parseDouble(props.get("lather.synthetic.kappa_r")),
        Double.parseDouble(props.get("lather.synthetic.noise")),
        Long.parseLong(props.get("lather.synthetic.seed")));
    Map<String, double[]> values = new HashMap<>();
    for (Row r : spark.read().format("delta").load(path).collectAsList()) {
      List<Double> v = r.getList(r.fieldIndex("values"));
      double[] a = new double[v.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = v.get(i);
      }
      values.put(r.getString(r.fieldIndex("name")), a);
    }
    return new KroneckerProblem(config, values.get("w_star"), values.get("L"), values.get("R"));
  }
}
