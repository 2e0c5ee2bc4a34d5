package io.lather.spark.train;

import io.lather.datasets.LatherTable;
import io.lather.datasets.fashionmnist.FashionMnist;
import io.lather.models.EvaluationSums;
import io.lather.models.Model;
import io.lather.models.ModelSpec;
import io.lather.models.Precision;
import io.lather.models.Task;
import io.lather.optimizer.Optimizer;
import io.lather.optimizer.OptimizerStatistics;
import io.lather.optimizer.Optimizers;
import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.shampoo.BlockStatistics;
import io.lather.optimizer.shampoo.ShampooOptimizer;
import io.lather.optimizer.shampoo.StatisticsPlan;
import io.lather.optimizer.state.HostTensor;
import io.lather.spark.checkpoint.Checkpoint;
import io.lather.spark.checkpoint.CheckpointMetadata;
import io.lather.spark.checkpoint.DataOrderState;
import io.lather.spark.checkpoint.DeltaCheckpointStore;
import io.lather.spark.config.JobConfig;
import io.lather.spark.metrics.DeltaMetricsSink;
import io.lather.spark.metrics.ProgressLine;
import io.lather.spark.metrics.StepMetrics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop on the driver (DESIGN.md §3): executors hold packed partitions and compute per-partition gradient
 * sums (and statistics) against broadcast parameters; the driver merges the results in partition order, runs the
 * optimizer step, evaluates, records metrics and writes checkpoints. Resuming restores parameters, optimizer state and
 * the step counter from the newest checkpoint; since the data order is a function of the step, the run continues
 * bit-identically.
 */
public final class Trainer {
    private final SparkSession spark;
    private final JobConfig config;
    private final PrintStream out;

    /**
     * @param spark a session with Delta enabled
     * @param config the validated job configuration
     * @param out where progress lines go
     */
    public Trainer(SparkSession spark, JobConfig config, PrintStream out) {
        this.spark = spark;
        this.config = config;
        this.out = out;
    }

    /** Table paths and their provenance. */
    private record Sources(String train, String test, boolean testFromLoader) {}

    private Sources resolveSources() {
        String train = config.get("data.train");
        String test = config.get("data.test");
        boolean testFromLoader = false;
        if (train.equals("fashion-mnist") || test.equals("fashion-mnist")) {
            FashionMnist.Tables t = TrainingData.fashionMnist(spark, config.get("data.dir"), (int) config.integer("data.limit"),
                    (int) config.integer("data.test_limit"));
            if (train.equals("fashion-mnist")) {
                train = t.train().path();
                if (test.isEmpty()) {
                    test = t.test().path();
                    testFromLoader = true;
                }
            }
            if (test.equals("fashion-mnist")) {
                test = t.test().path();
                testFromLoader = true;
            }
        }
        if (test.isEmpty() || test.equals("none")) {
            test = null;
        }
        return new Sources(train, test, testFromLoader);
    }

    /** Runs the job from scratch, or resumes it from its newest valid checkpoint, to its last step. */
    public TrainResult run(boolean resume) {
        return run(resume, OptionalLong.empty());
    }

    /**
     * Runs or resumes the job to its last step.
     *
     * @param resume continue from a checkpoint of the run (the run must have one)
     * @param resumeStep the checkpoint step to resume from; empty = the newest valid checkpoint
     */
    public TrainResult run(boolean resume, OptionalLong resumeStep) {
        Sources sources = resolveSources();
        LatherTable.Opened trainTable = LatherTable.open(spark, sources.train());
        var props = trainTable.properties();
        ModelSpec spec = config.model(props.numFeatures(), props.numClasses());
        Precision precision = config.get("model.precision").equals("float64") ? Precision.FLOAT64 : Precision.FLOAT32;
        Model model = Model.build(spec, precision);
        int partitions = (int) (config.integer("train.partitions") > 0 ? config.integer("train.partitions")
                : spark.sparkContext().defaultParallelism());
        int batch = (int) config.integer("train.batch_per_partition");
        long seed = config.integer("run.seed");
        BatchPlan plan = new BatchPlan(seed, batch);
        var trainRows = trainTable.data();
        long limit = config.integer("data.limit");
        if (limit > 0 && !config.get("data.train").equals("fashion-mnist")) {
            trainRows = trainRows.orderBy(LatherTable.ROW_ID).limit((int) limit);
        }
        int targetWidth = (int) props.numTargets();
        JavaRDD<PackedPartition> train = TrainingData.pack(trainRows, partitions, spec.task(), targetWidth);
        long[] sizes = TrainingData.partitionSizes(train);
        long rows = Arrays.stream(sizes).sum();
        JavaRDD<PackedPartition> test = null;
        if (sources.test() != null) {
            LatherTable.Opened testTable = LatherTable.open(spark, sources.test());
            var testRows = testTable.data();
            long testLimit = config.integer("data.test_limit");
            if (testLimit > 0 && !sources.testFromLoader()) { // the loader already applied it
                testRows = testRows.orderBy(LatherTable.ROW_ID).limit((int) testLimit);
            }
            test = TrainingData.pack(testRows, partitions, spec.task(), targetWidth);
        }
        long totalSteps = config.integer("train.steps") > 0 ? config.integer("train.steps")
                : (long) Math.ceil(config.number("train.epochs") * rows / ((double) partitions * batch));

        Map<String, INDArray> params = model.initialParameters(seed);
        Optimizer optimizer = Optimizers.create(config.optimizer(), params);
        LearningRateSchedule schedule = new LearningRateSchedule(config.get("train.lr_schedule"), optimizer.learningRate(),
                config.integer("train.warmup_steps"), totalSteps, config.number("train.min_lr_ratio"));
        boolean partitionStats = config.statistics().equals("partition") && optimizer instanceof ShampooOptimizer;
        StatisticsPlan statsPlan = partitionStats ? ((ShampooOptimizer) optimizer).statisticsPlan() : null;
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, config.checkpointDir(), (int) config.integer("checkpoint.keep"));
        DeltaMetricsSink metrics = new DeltaMetricsSink(spark, config.metricsTable());

        long start = 0;
        Optional<Checkpoint> latest = store.latest(config.runId());
        if (resume) {
            Checkpoint c = resumeStep.isPresent() ? store.require(config.runId(), resumeStep.getAsLong())
                    : latest.orElseThrow(() -> TrainingErrors.nothingToResume(config.runId(), config.checkpointDir()));
            start = restore(c, params, optimizer, sizes, trainTable);
            metrics.truncateAfter(config.runId(), start);
            out.printf("resumed run %s from its checkpoint at step %d%n", config.runId(), start);
        } else if (latest.isPresent()) {
            throw TrainingErrors.runExists(config.runId(), latest.get().metadata().step(), config.checkpointDir());
        }

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        out.printf("run %s: %s, optimizer %s, %d rows in %d partitions x %d rows/step, %d steps (%s statistics)%n", config.runId(),
                spec.describe(), config.get("optimizer"), rows, partitions, batch, totalSteps, config.statistics());
        ProgressLine progress = new ProgressLine(totalSteps);
        long everyEval = config.integer("eval.every");
        long everyCheckpoint = config.integer("checkpoint.every");
        long logEvery = config.integer("train.log_every");
        double lastLoss = Double.NaN;
        EvaluationSums lastEval = null;
        long loopStart = System.nanoTime();
        long examples = 0;
        for (long t = start + 1; t <= totalSteps; t++) {
            long s0 = System.nanoTime();
            double lr = schedule.at(t);
            optimizer.setLearningRate(lr);
            Broadcast<ParameterSnapshot> snapshot = jsc.broadcast(ParameterSnapshot.of(t, params));
            Broadcast<List<double[][]>> bases = partitionStats ? jsc.broadcast(flatEigenbases((ShampooOptimizer) optimizer, statsPlan)) : null;
            List<PartitionResult> results = train.mapPartitionsWithIndex(
                    new GradientTask(snapshot, spec, precision, plan, t, statsPlan, bases), true).collect();
            long s1 = System.nanoTime();
            GradientAggregator agg = GradientAggregator.empty();
            for (PartitionResult r : results) { // partition-index order: collect() returns partitions in order
                agg.add(r);
            }
            Map<String, INDArray> grads = meanGradients(agg, params);
            Map<BlockId, BlockStatistics> stats = partitionStats ? meanStatistics(agg, statsPlan, params) : null;
            long s2 = System.nanoTime();
            OptimizerStatistics before = optimizer.statistics();
            if (stats != null) {
                ((ShampooOptimizer) optimizer).step(grads, stats);
            } else {
                optimizer.step(grads);
            }
            OptimizerStatistics work = optimizer.statistics().minus(before);
            long s3 = System.nanoTime();
            snapshot.destroy();
            if (bases != null) {
                bases.destroy();
            }
            lastLoss = agg.lossSum() / agg.rows();
            examples += agg.rows();
            boolean last = t == totalSteps;
            EvaluationSums eval = null;
            if (test != null && ((everyEval > 0 && t % everyEval == 0) || last)) {
                eval = evaluate(jsc, test, params, spec, precision, (int) config.integer("eval.batch"));
                lastEval = eval;
            }
            double stepMs = (s3 - s0) / 1e6;
            double dataMs = agg.maxDataNanos() / 1e6;
            double gradMs = agg.maxComputeNanos() / 1e6;
            double reduceMs = (s2 - s1) / 1e6;
            double optMs = (s3 - s2) / 1e6;
            double overhead = Math.max(0, stepMs - dataMs - gradMs - reduceMs - optMs);
            double epoch = (double) t * partitions * batch / rows;
            boolean classification = spec.task() == Task.CLASSIFICATION;
            StepMetrics m = new StepMetrics(config.runId(), t, epoch, lastLoss, eval == null ? Double.NaN : eval.meanLoss(),
                    eval == null || !classification ? Double.NaN : eval.accuracy(), lr, agg.rows(), stepMs, dataMs, gradMs, reduceMs,
                    optMs, overhead, work.factorComputations(), work.factorSkips(), System.currentTimeMillis());
            metrics.add(m);
            if (t % logEvery == 0 || last || eval != null) {
                out.println(progress.format(m));
            }
            if ((everyCheckpoint > 0 && t % everyCheckpoint == 0) || last) {
                // metrics first: a crash between the two leaves metrics ahead of the newest checkpoint, which resume
                // truncates; the other order could lose the metrics of steps that the checkpoint already covers
                metrics.flush();
                var outcome = store.write(checkpoint(t, params, optimizer, seed, partitions, batch, sizes, rows, trainTable));
                out.printf("checkpoint at step %d: %s%n", t, outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
        }
        long wall = (System.nanoTime() - loopStart) / 1_000_000;
        Checkpoint finalCheckpoint = store.latest(config.runId()).orElseThrow();
        String pd = DeltaCheckpointStore.parameterDigest(finalCheckpoint.parameters());
        String od = DeltaCheckpointStore.optimizerStateDigest(finalCheckpoint.optimizerState());
        double evalLoss = lastEval == null ? Double.NaN : lastEval.meanLoss();
        double evalAcc = lastEval == null || spec.task() != Task.CLASSIFICATION ? Double.NaN : lastEval.accuracy();
        train.unpersist();
        if (test != null) {
            test.unpersist();
        }
        return new TrainResult(config.runId(), Math.max(totalSteps, start), lastLoss, evalLoss, evalAcc, pd, od, wall, examples);
    }

    private long restore(Checkpoint c, Map<String, INDArray> params, Optimizer optimizer, long[] sizes, LatherTable.Opened table) {
        if (!c.metadata().compatibilityDigest().equals(config.compatibilityDigest())) {
            Map<String, String> stored = JobConfig.compatibilitySubset(JobConfig.parseRendered(c.metadata().config()));
            throw TrainingErrors.incompatibleResume(config.runId(), c.metadata().step(), stored, config.compatibilitySettings());
        }
        if (!Arrays.equals(c.dataOrder().partitionSizes(), sizes)) {
            throw TrainingErrors.dataChanged(config.runId(), "rows per partition", Arrays.toString(c.dataOrder().partitionSizes()),
                    Arrays.toString(sizes));
        }
        if (c.metadata().sourceVersion() != table.version() && c.metadata().sourceTable().equals(table.path())) {
            throw TrainingErrors.dataChanged(config.runId(), "Delta version of " + table.path(), "v" + c.metadata().sourceVersion(),
                    "v" + table.version());
        }
        if (!c.parameters().keySet().equals(params.keySet())) {
            throw TrainingErrors.modelChanged(config.runId(), "parameters " + c.parameters().keySet() + " vs " + params.keySet());
        }
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            HostTensor h = c.parameters().get(e.getKey());
            if (!Arrays.equals(h.shape(), e.getValue().shape()) || h.dataType() != e.getValue().dataType()) {
                throw TrainingErrors.modelChanged(config.runId(), "parameter " + e.getKey() + " is " + h + " in the checkpoint");
            }
        }
        optimizer.importState(c.optimizerState());
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            e.getValue().assign(c.parameters().get(e.getKey()).toINDArray());
        }
        return c.metadata().step();
    }

    private Checkpoint checkpoint(long step, Map<String, INDArray> params, Optimizer optimizer, long seed, int partitions, int batch,
            long[] sizes, long rows, LatherTable.Opened table) {
        Map<String, HostTensor> p = new LinkedHashMap<>();
        params.forEach((k, v) -> p.put(k, HostTensor.of(v)));
        DataOrderState order = new DataOrderState(step, step * partitions * batch / Math.max(rows, 1), seed, partitions, batch, sizes);
        CheckpointMetadata meta = new CheckpointMetadata(config.runId(), step, config.render(), config.compatibilityDigest(),
                Versions.all(), table.path(), table.version(), System.currentTimeMillis());
        return new Checkpoint(p, optimizer.exportState(), order, meta);
    }

    private static Map<String, INDArray> meanGradients(GradientAggregator agg, Map<String, INDArray> params) {
        Map<String, INDArray> grads = new LinkedHashMap<>();
        double[][] sums = agg.gradients();
        int i = 0;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray g = Nd4j.createFromArray(sums[i++]).divi(agg.rows()).castTo(e.getValue().dataType());
            grads.put(e.getKey(), e.getValue().rank() == 0 ? g.reshape(new long[0]) : g.reshape(e.getValue().shape()));
        }
        return grads;
    }

    /** Σ_p statistics / P as block statistics in the parameters' precision. */
    private static Map<BlockId, BlockStatistics> meanStatistics(GradientAggregator agg, StatisticsPlan plan, Map<String, INDArray> params) {
        Map<BlockId, BlockStatistics> out = new LinkedHashMap<>();
        double[][] s = agg.statistics();
        DataType type = params.values().iterator().next().dataType();
        int k = 0;
        for (StatisticsPlan.BlockTask task : plan.tasks()) {
            List<INDArray> outer = new ArrayList<>();
            for (int mode = 0; mode < task.selected().length; mode++) {
                if (task.selected()[mode]) {
                    long d = task.shape()[mode];
                    outer.add(Nd4j.createFromArray(s[k++]).divi(agg.partitions()).reshape(d, d).castTo(type));
                }
            }
            INDArray rotated = null;
            if (task.rotatedSquares()) {
                rotated = Nd4j.createFromArray(s[k++]).divi(agg.partitions()).reshape(task.shape()).castTo(type);
            }
            out.put(task.id(), new BlockStatistics(outer.toArray(new INDArray[0]), rotated));
        }
        return out;
    }

    /** The optimizer's eigenbases in plan order as row-major float64 arrays (what rotated squares need). */
    private static List<double[][]> flatEigenbases(ShampooOptimizer optimizer, StatisticsPlan plan) {
        Map<BlockId, List<INDArray>> bases = optimizer.eigenbases();
        List<double[][]> out = new ArrayList<>();
        for (StatisticsPlan.BlockTask task : plan.tasks()) {
            List<INDArray> q = task.rotatedSquares() ? bases.get(task.id()) : List.of();
            double[][] flat = new double[q.size()][];
            for (int j = 0; j < q.size(); j++) {
                flat[j] = q.get(j).castTo(DataType.DOUBLE).dup('c').data().asDouble();
            }
            out.add(flat);
        }
        return out;
    }

    private static EvaluationSums evaluate(JavaSparkContext jsc, JavaRDD<PackedPartition> test, Map<String, INDArray> params, ModelSpec spec,
            Precision precision, int chunk) {
        Broadcast<ParameterSnapshot> b = jsc.broadcast(ParameterSnapshot.of(0, params));
        List<EvaluationSums> parts = test.mapPartitionsWithIndex(new EvaluationTask(b, spec, precision, chunk), true).collect();
        b.destroy();
        EvaluationSums total = EvaluationSums.EMPTY;
        for (EvaluationSums s : parts) {
            total = total.plus(s);
        }
        return total;
    }
}
