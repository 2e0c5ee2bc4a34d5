package io.lather.models;

import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

/** Custom model factories used by the tests: one good model per task, and one per contract violation. */
public final class CustomFactories {
    private CustomFactories() {
    }

    /**
     * A one-hidden-layer tanh classifier whose loss is SameDiff's own softmax cross-entropy with SUM reduction —
     * a different formulation from the built-in graphs, so the gradient check also covers it.
     */
    public static final class TinyClassifier implements CustomModelFactory {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("features", dt, -1, spec.inputDim());
            SDVariable y = sd.placeHolder("labels", dt, -1, spec.outputDim());
            SDVariable w1 = sd.var("hidden/W", dt, spec.inputDim(), 5);
            SDVariable b1 = sd.var("hidden/b", dt, 5);
            SDVariable w2 = sd.var("out/W", dt, 5, spec.outputDim());
            SDVariable b2 = sd.var("out/b", dt, spec.outputDim());
            SDVariable logits = sd.math.tanh(x.mmul(w1).add(b1)).mmul(w2).add(b2);
            sd.nn.softmax("probabilities", logits, 1);
            sd.loss.softmaxCrossEntropy("loss", y, logits, null, LossReduce.SUM, 0.0);
            return new CustomGraph(sd, List.of("hidden/W", "hidden/b", "out/W", "out/b"), "loss", "probabilities");
        }
    }

    /** Linear regression with a squared-error loss; He-uniform weights to exercise the init override. */
    public static final class LinearRegression implements CustomModelFactory {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("features", dt, -1, spec.inputDim());
            SDVariable y = sd.placeHolder("labels", dt, -1, spec.outputDim());
            SDVariable w = sd.var("W", dt, spec.inputDim(), spec.outputDim());
            SDVariable out = sd.identity("outputs", x.mmul(w));
            sd.identity("loss", sd.math.square(out.sub(y)).sum());
            return new CustomGraph(sd, List.of("W"), "loss", "outputs");
        }

        @Override
        public ParameterInit initialization(ParameterSpec parameter) {
            return ParameterInit.heUniform(parameter.shape()[0]);
        }
    }

    /** A linear autoencoder with tied-free weights; no labels placeholder. */
    public static final class LinearAutoencoder implements CustomModelFactory {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("features", dt, -1, spec.inputDim());
            SDVariable enc = sd.var("enc", dt, spec.inputDim(), 2);
            SDVariable dec = sd.var("dec", dt, 2, spec.inputDim());
            SDVariable r = sd.identity("reconstruction", sd.nn.sigmoid(x.mmul(enc)).mmul(dec));
            sd.identity("loss", sd.math.square(r.sub(x)).sum());
            return new CustomGraph(sd, List.of("enc", "dec"), "loss", "reconstruction");
        }
    }

    /** Base for the broken factories: a good linear classifier graph with one thing changed by a subclass. */
    abstract static class Broken implements CustomModelFactory {
        SameDiff sd;
        SDVariable x;
        SDVariable w;
        SDVariable logits;

        void graph(CustomSpec spec, DataType featuresType) {
            sd = SameDiff.create();
            x = sd.placeHolder("features", featuresType, -1, spec.inputDim());
            SDVariable y = sd.placeHolder("labels", featuresType, -1, spec.outputDim());
            w = sd.var("W", featuresType, spec.inputDim(), spec.outputDim());
            logits = x.mmul(w);
            sd.nn.softmax("probabilities", logits, 1);
            sd.identity("loss", sd.nn.logSoftmax(logits).mul(y).sum().neg());
        }
    }

    /** Lists a parameter twice. */
    public static final class DuplicateParameter extends Broken {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            graph(spec, dt);
            return new CustomGraph(sd, List.of("W", "W"), "loss", "probabilities");
        }
    }

    /** Has a trainable variable it does not list. */
    public static final class UnlistedVariable extends Broken {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            graph(spec, dt);
            sd.var("forgotten", dt, 3);
            return new CustomGraph(sd, List.of("W"), "loss", "probabilities");
        }
    }

    /** Lists a name that is not a variable of the graph. */
    public static final class UnknownParameter extends Broken {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            graph(spec, dt);
            return new CustomGraph(sd, List.of("W", "V"), "loss", "probabilities");
        }
    }

    /** Names a loss variable that does not exist. */
    public static final class MissingLoss extends Broken {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            graph(spec, dt);
            return new CustomGraph(sd, List.of("W"), "total_loss", "probabilities");
        }
    }

    /** Has no features placeholder (calls it "x"). */
    public static final class NoFeatures implements CustomModelFactory {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", dt, -1, spec.inputDim());
            SDVariable w = sd.var("W", dt, spec.inputDim(), spec.outputDim());
            SDVariable p = sd.identity("p", x.mmul(w));
            sd.identity("loss", p.sum());
            return new CustomGraph(sd, List.of("W"), "loss", "p");
        }
    }

    /** Features placeholder of the wrong width. */
    public static final class WrongFeatureWidth implements CustomModelFactory {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("features", dt, -1, spec.inputDim() + 1);
            SDVariable w = sd.var("W", dt, spec.inputDim() + 1, spec.outputDim());
            SDVariable p = sd.identity("p", x.mmul(w));
            sd.identity("loss", p.sum());
            return new CustomGraph(sd, List.of("W"), "loss", "p");
        }
    }

    /** Ignores the requested data type (always float32). */
    public static final class AlwaysFloat extends Broken {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            graph(spec, DataType.FLOAT);
            return new CustomGraph(sd, List.of("W"), "loss", "probabilities");
        }
    }

    /** A loss that is a vector (per-column sums), not a scalar. */
    public static final class VectorLoss extends Broken {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            graph(spec, dt);
            sd.identity("vector_loss", logits.sum(0));
            return new CustomGraph(sd, List.of("W"), "vector_loss", "probabilities");
        }
    }

    /** Its prediction is transposed: [classes, rows] instead of [rows, classes]. */
    public static final class TransposedPrediction extends Broken {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            graph(spec, dt);
            sd.identity("transposed", sd.transpose(logits));
            return new CustomGraph(sd, List.of("W"), "loss", "transposed");
        }
    }

    /** Declares features of unknown width and multiplies by a weight one row too tall: fails when executed. */
    public static final class InconsistentShapes implements CustomModelFactory {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("features", dt, -1, -1);
            SDVariable w = sd.var("W", dt, spec.inputDim() + 1, spec.outputDim());
            SDVariable p = sd.identity("p", x.mmul(w));
            sd.identity("loss", p.sum());
            return new CustomGraph(sd, List.of("W"), "loss", "p");
        }
    }

    /** Throws from build. */
    public static final class Throws implements CustomModelFactory {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            throw new IllegalStateException("no graph today");
        }
    }

    /** Returns null from build. */
    public static final class ReturnsNull implements CustomModelFactory {
        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            return null;
        }
    }

    /** Has no no-argument constructor. */
    public static final class NeedsArgument implements CustomModelFactory {
        public NeedsArgument(int unused) {
        }

        @Override
        public CustomGraph build(CustomSpec spec, DataType dt) {
            return null;
        }
    }

    /** Is not a factory at all. */
    public static final class NotAFactory {
    }
}
