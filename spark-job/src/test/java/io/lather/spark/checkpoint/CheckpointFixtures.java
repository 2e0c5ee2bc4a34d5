package io.lather.spark.checkpoint;

import io.lather.datasets.spark.LatherSparkSessions;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import io.lather.optimizer.state.StateKey;
import io.lather.optimizer.state.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Checkpoints with every tensor type and the awkward values (NaN payloads, −0.0, subnormals, infinities, extreme
 * longs, empty tensors, scalars), built from bytes so the tests need no ND4J; plus a deliberately broken writer.
 */
final class CheckpointFixtures {

    private CheckpointFixtures() {}

    /** The test JVM's local[2] session with Delta (shared with other Spark tests through getOrCreate). */
    static SparkSession spark() {
        SparkSession s = LatherSparkSessions.local("lather-checkpoint-tests", 2,
                Path.of(System.getProperty("java.io.tmpdir"), "lather-checkpoint-tests"));
        s.sparkContext().setLogLevel("ERROR");
        return s;
    }

    static HostTensor float32(long[] shape, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return new HostTensor(TensorType.FLOAT32, shape, b.array());
    }

    static HostTensor float64(long[] shape, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return new HostTensor(TensorType.FLOAT64, shape, b.array());
    }

    static HostTensor int64(long[] shape, long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return new HostTensor(TensorType.INT64, shape, b.array());
    }

    static HostTensor bool(long[] shape, boolean... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) (v[i] ? 1 : 0);
        }
        return new HostTensor(TensorType.BOOL, shape, b);
    }

    static long[] shape(long... dims) {
        return dims;
    }

    /** Parameters in a model order that is not sorted, so order preservation is visible. */
    static Map<String, HostTensor> parameters(long variant) {
        float f = variant;
        Map<String, HostTensor> p = new LinkedHashMap<>();
        p.put("dense2/W", float32(shape(2, 3), 1.5f + f, -0.0f, Float.MIN_VALUE, Float.intBitsToFloat(0x7fc01234),
                Float.NEGATIVE_INFINITY, 3e38f));
        p.put("dense1/W", float64(shape(3), Math.PI + variant, Double.longBitsToDouble(0x7ff8dead_beef0001L), -0.0));
        p.put("dense1/b", float32(shape(0)));
        p.put("temperature", float32(shape(), 0.25f * (variant + 1)));
        p.put("empty_matrix", float64(shape(3, 0)));
        return p;
    }

    static OptimizerState optimizerState(long step) {
        Map<StateKey, HostTensor> t = OptimizerState.newTensorMap();
        t.put(StateKey.global("step"), HostTensor.ofLong(step));
        t.put(StateKey.global("lr"), HostTensor.ofDouble(1e-3));
        t.put(new StateKey("dense2/W", 0, "shampoo.factor_matrices.0"), float64(shape(2, 2), 1, step, step, 4));
        t.put(new StateKey("dense2/W", 0, "adam.m"), float32(shape(2, 3), 0, 1, 2, 3, 4, step));
        t.put(new StateKey("dense2/W", 1, "counts"), int64(shape(2, 2), Long.MIN_VALUE, Long.MAX_VALUE, -1, step));
        t.put(new StateKey("dense2/W", 0, "failed"), bool(shape(3), true, false, step % 2 == 0));
        t.put(new StateKey("dense1/b", -1, "adam.v"), float32(shape(0)));
        t.put(StateKey.global("use_fallback"), HostTensor.ofBoolean(step % 3 == 0));
        return new OptimizerState("shampoo", OptimizerState.FORMAT_VERSION, t);
    }

    static Checkpoint checkpoint(String runId, long step) {
        return checkpoint(runId, step, step);
    }

    /** {@code variant} changes the parameter values, so two checkpoints of the same step can differ. */
    static Checkpoint checkpoint(String runId, long step, long variant) {
        Map<String, String> versions = new TreeMap<>(Map.of("lather", "0.1.0-SNAPSHOT", "spark", "4.0.1", "delta", "4.0.1"));
        CheckpointMetadata meta = new CheckpointMetadata(runId, step, "model = mlp\noptimizer = shampoo\nrun.id = " + runId
                + "\n", "c0ffee" + runId.length(), versions, "/data/train", 7, 1_700_000_000_000L + step);
        DataOrderState order = new DataOrderState(step, step / 10, 42, 2, 16, new long[] {500, 499});
        return new Checkpoint(parameters(variant), optimizerState(step), order, meta);
    }

    /** Replaces one column of a row. */
    static Row with(Row r, String column, Object value) {
        Object[] v = new Object[r.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.get(i);
        }
        v[CheckpointTable.index(column)] = value;
        return RowFactory.create(v);
    }

    /** A broken writer: appends rows straight to the table (no validation, no transaction id). */
    static void appendRaw(SparkSession spark, String path, List<Row> rows) {
        spark.createDataFrame(rows, CheckpointTable.SCHEMA).coalesce(1).write().format("delta").mode(SaveMode.Append)
                .partitionBy(CheckpointTable.RUN_ID, CheckpointTable.STEP).save(path);
    }
}
