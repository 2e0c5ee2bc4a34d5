package io.lather.spark.ml;

import io.lather.models.ModelSpec;
import io.lather.models.Precision;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.TensorType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Saving and loading fitted Lather models (format version {@value #FORMAT_VERSION}, {@code docs/SPARK_ML.md} §Saved
 * models). A model directory holds:
 * <ul>
 *   <li>{@code metadata/}: Spark's params JSON ({@code DefaultParamsWriter.saveMetadata}: class, uid, params), which is
 *       what {@code PipelineModel.load} reads to find the class and call its static {@code read()};</li>
 *   <li>{@code data/model/}: one Parquet row: format version, task, model spec ({@code ModelSpec.toConfig()} keys),
 *       precision, sizes, the parameter digest and the training summary;</li>
 *   <li>{@code data/parameters/}: Parquet, one row per parameter: position, name, element type, shape and the row-major
 *       little-endian bytes (the checkpoint tensor encoding).</li>
 * </ul>
 * No Java serialization. Loading is strict: the spec must parse, the parameters must be exactly the spec's (names,
 * shapes, element type), and their digest must equal the stored one.
 */
final class ModelIo {
    private ModelIo() {}

    /** The version of the layout above. */
    static final int FORMAT_VERSION = 1;

    static final StructType MODEL_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("format_version", DataTypes.IntegerType, false),
        DataTypes.createStructField("task", DataTypes.StringType, false),
        DataTypes.createStructField("spec", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false),
        DataTypes.createStructField("precision", DataTypes.StringType, false),
        DataTypes.createStructField("num_features", DataTypes.IntegerType, false),
        DataTypes.createStructField("num_classes", DataTypes.IntegerType, false),
        DataTypes.createStructField("parameter_digest", DataTypes.StringType, false),
        DataTypes.createStructField("run_id", DataTypes.StringType, false),
        DataTypes.createStructField("steps", DataTypes.LongType, false),
        DataTypes.createStructField("train_loss", DataTypes.DoubleType, false),
        DataTypes.createStructField("optimizer_digest", DataTypes.StringType, false),
        DataTypes.createStructField("checkpoint_location", DataTypes.StringType, false),
        DataTypes.createStructField("train_table", DataTypes.StringType, false),
        DataTypes.createStructField("checkpoint_table", DataTypes.StringType, false),
        DataTypes.createStructField("metrics_table", DataTypes.StringType, false),
        DataTypes.createStructField("wall_millis", DataTypes.LongType, false),
        DataTypes.createStructField("examples", DataTypes.LongType, false),
        DataTypes.createStructField("settings", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false),
    });

    static final StructType PARAMETER_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("position", DataTypes.IntegerType, false),
        DataTypes.createStructField("name", DataTypes.StringType, false),
        DataTypes.createStructField("dtype", DataTypes.StringType, false),
        DataTypes.createStructField("shape", DataTypes.createArrayType(DataTypes.LongType, false), false),
        DataTypes.createStructField("data", DataTypes.BinaryType, false),
    });

    /** Builds a model from what was loaded. */
    @FunctionalInterface
    interface Factory<M> {
        M create(String uid, ModelState state, LatherTrainingSummary summary);
    }

    /** Writes a model's metadata, spec and parameters. */
    static final class Writer extends MLWriter {
        private final Params instance;
        private final ModelState state;
        private final LatherTrainingSummary summary;

        Writer(Params instance, ModelState state, LatherTrainingSummary summary) {
            this.instance = instance;
            this.state = state;
            this.summary = summary;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            DefaultParamsWriter.saveMetadata(instance, path, spark);
            LatherTrainingSummary s = summary;
            Row model = RowFactory.create(FORMAT_VERSION, state.spec().task().configName(), new LinkedHashMap<>(
                    state.spec().toConfig()), state.precision().name().toLowerCase(java.util.Locale.ROOT),
                    state.numFeatures(), state.numClasses(), state.digest(), s.runId(), s.steps(), s.trainLoss(),
                    s.optimizerDigest(), s.checkpointLocation(), s.trainTable(), s.checkpointTable(), s.metricsTable(),
                    s.wallMillis(), s.examples(), new LinkedHashMap<>(s.settings()));
            spark.createDataFrame(List.of(model), MODEL_SCHEMA).coalesce(1).write().parquet(new Path(path, "data/model").toString());
            List<Row> rows = new ArrayList<>();
            int i = 0;
            for (Map.Entry<String, HostTensor> e : state.tensors().entrySet()) {
                HostTensor t = e.getValue();
                rows.add(RowFactory.create(i++, e.getKey(), t.type().typeName(), t.shape(), t.bytes()));
            }
            spark.createDataFrame(rows, PARAMETER_SCHEMA).coalesce(1).write().parquet(new Path(path, "data/parameters").toString());
        }
    }

    /** Reads what {@link Writer} wrote, strictly. */
    static final class Reader<M extends Params> extends MLReader<M> {
        private final Class<M> type;
        private final Factory<M> factory;

        Reader(Class<M> type, Factory<M> factory) {
            this.type = type;
            this.factory = factory;
        }

        @Override
        public M load(String path) {
            SparkSession spark = sparkSession();
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, spark, type.getName());
            List<Row> modelRows = spark.read().parquet(new Path(path, "data/model").toString()).collectAsList();
            if (modelRows.size() != 1) {
                throw MlErrors.badSavedModel(path, "data/model holds " + modelRows.size() + " rows; expected 1");
            }
            Row m = modelRows.get(0);
            int version = m.getInt(m.fieldIndex("format_version"));
            if (version != FORMAT_VERSION) {
                throw MlErrors.badSavedModel(path, "it has format version " + version + "; this Lather reads version "
                        + FORMAT_VERSION + " (upgrade Lather to read newer models)");
            }
            ModelSpec spec;
            try {
                spec = ModelSpec.fromConfig(m.<String, String>getJavaMap(m.fieldIndex("spec")));
            } catch (RuntimeException e) {
                throw MlErrors.badSavedModel(path, "its model spec does not parse: " + e.getMessage());
            }
            String precisionName = m.getString(m.fieldIndex("precision"));
            Precision precision;
            try {
                precision = Precision.valueOf(precisionName.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw MlErrors.badSavedModel(path, "precision '" + precisionName + "' is not float32 or float64");
            }
            Dataset<Row> p = spark.read().parquet(new Path(path, "data/parameters").toString()).orderBy("position");
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            for (Row r : p.collectAsList()) {
                List<Long> shapeList = r.getList(r.fieldIndex("shape"));
                long[] shape = shapeList.stream().mapToLong(Long::longValue).toArray();
                String name = r.getString(r.fieldIndex("name"));
                HostTensor t;
                try {
                    t = new HostTensor(TensorType.parse(r.getString(r.fieldIndex("dtype"))), shape, r.getAs("data"));
                } catch (RuntimeException e) {
                    throw MlErrors.badSavedModel(path, "parameter " + name + " cannot be decoded: " + e.getMessage());
                }
                if (tensors.put(name, t) != null) {
                    throw MlErrors.badSavedModel(path, "parameter " + name + " is stored twice");
                }
            }
            ModelState state = ModelState.of(spec, precision, tensors, path);
            String digest = m.getString(m.fieldIndex("parameter_digest"));
            if (!state.digest().equals(digest)) {
                throw MlErrors.badSavedModel(path, "its parameters have digest " + state.digest() + " but the model records "
                        + digest + " (the files were changed or damaged)");
            }
            int numClasses = m.getInt(m.fieldIndex("num_classes"));
            if (numClasses != state.numClasses() || m.getInt(m.fieldIndex("num_features")) != state.numFeatures()) {
                throw MlErrors.badSavedModel(path, "num_features/num_classes disagree with its spec " + spec.describe());
            }
            LatherTrainingSummary summary = new LatherTrainingSummary(m.getString(m.fieldIndex("run_id")),
                    m.getLong(m.fieldIndex("steps")), m.getDouble(m.fieldIndex("train_loss")), digest,
                    m.getString(m.fieldIndex("optimizer_digest")), m.getString(m.fieldIndex("checkpoint_location")),
                    m.getString(m.fieldIndex("train_table")), m.getString(m.fieldIndex("checkpoint_table")),
                    m.getString(m.fieldIndex("metrics_table")), m.getLong(m.fieldIndex("wall_millis")),
                    m.getLong(m.fieldIndex("examples")), m.<String, String>getJavaMap(m.fieldIndex("settings")));
            M model = factory.create(metadata.uid(), state, summary);
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }
}
