package io.lather.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The custom-model contract: what works, and the message for each way a factory can break it. */
class CustomModelTest {

    static CustomSpec spec(Class<?> factory) {
        return new CustomSpec(factory.getName(), 4, 3, Task.CLASSIFICATION);
    }

    static String prefix(Class<?> factory) {
        return "Model custom(" + factory.getName() + ", 4 -> 3, classification): ";
    }

    static String contract(Class<?> factory) {
        return " Cause: the graph returned by " + factory.getName() + " breaks the CustomModelFactory contract. Fix: ";
    }

    @Test
    void parametersAndInitialisationComeFromTheFactory() {
        Model model = Model.build(spec(CustomFactories.TinyClassifier.class));
        assertEquals(List.of("hidden/W [4, 5]", "hidden/b [5]", "out/W [5, 3]", "out/b [3]"),
                model.parameters().stream().map(ParameterSpec::toString).toList());
        // Default rule: Glorot for matrices, zeros for vectors.
        assertEquals(List.of(ParameterInit.glorotUniform(4, 5), ParameterInit.zeros(), ParameterInit.glorotUniform(5, 3),
                ParameterInit.zeros()), model.initializations());
        Model regression = Model.build(new CustomSpec(CustomFactories.LinearRegression.class.getName(), 3, 2, Task.REGRESSION));
        assertEquals(List.of(ParameterInit.heUniform(3)), regression.initializations());
        Map<String, INDArray> w = regression.initialParameters(3);
        assertTrue(w.get("W").amaxNumber().doubleValue() <= Math.sqrt(6.0 / 3));
    }

    @Test
    void loading() {
        CustomSpec missing = new CustomSpec("com.example.Missing", 4, 3, Task.CLASSIFICATION);
        assertError("Model custom(com.example.Missing, 4 -> 3, classification): factory class com.example.Missing was "
                        + "not found. Cause: it is not on the classpath of this JVM (java.lang.ClassNotFoundException: "
                        + "com.example.Missing). Fix: add the jar that holds it to the classpath (with Spark: --jars or "
                        + "spark.jars, so executors get it too), and check the spelling of factory_class.",
                () -> Model.build(missing));
        Class<?> c = CustomFactories.NotAFactory.class;
        assertError(prefix(c) + "factory class " + c.getName() + " does not implement io.lather.models.CustomModelFactory."
                + " Cause: factory_class must name a class that builds the graph. Fix: implement "
                + "io.lather.models.CustomModelFactory in that class.", () -> Model.build(spec(c)));
        Class<?> n = CustomFactories.NeedsArgument.class;
        assertError(prefix(n) + "factory class " + n.getName() + " could not be instantiated "
                + "(java.lang.NoSuchMethodException: " + n.getName() + ".<init>()). Cause: the class must be public, "
                + "concrete, and have a public no-argument constructor that does not throw. Fix: add a public "
                + "no-argument constructor to the factory.", () -> Model.build(spec(n)));
        Class<?> t = CustomFactories.Throws.class;
        assertError(prefix(t) + "factory " + t.getName() + ".build threw java.lang.IllegalStateException: no graph today."
                + " Cause: the factory could not build its graph for this spec and precision. Fix: fix the factory; it "
                + "must return a CustomGraph for every valid CustomSpec.", () -> Model.build(spec(t)));
        Class<?> r = CustomFactories.ReturnsNull.class;
        assertError(prefix(r) + "factory " + r.getName() + ".build returned null. Cause: the factory could not build its "
                + "graph for this spec and precision. Fix: fix the factory; it must return a CustomGraph for every valid "
                + "CustomSpec.", () -> Model.build(spec(r)));
    }

    @Test
    void graphContract() {
        Class<?> f = CustomFactories.NoFeatures.class;
        assertError(prefix(f) + "the graph has no placeholder named 'features'." + contract(f)
                + "create it with SameDiff.placeHolder(\"features\", dataType, -1, 4).", () -> Model.build(spec(f)));
        Class<?> w = CustomFactories.WrongFeatureWidth.class;
        assertError(prefix(w) + "placeholder 'features' has shape [-1, 5], expected [-1, 4]." + contract(w)
                + "create it with SameDiff.placeHolder(\"features\", dataType, -1, 4).", () -> Model.build(spec(w)));
        Class<?> a = CustomFactories.AlwaysFloat.class;
        assertError(prefix(a) + "placeholder 'features' has data type FLOAT, expected DOUBLE." + contract(a)
                        + "create placeholders with the data type passed to build.",
                () -> Model.build(spec(a), Precision.FLOAT64));
        Class<?> d = CustomFactories.DuplicateParameter.class;
        assertError(prefix(d) + "parameter 'W' is listed twice in parameterNames." + contract(d)
                + "list each trainable variable once.", () -> Model.build(spec(d)));
        Class<?> u = CustomFactories.UnlistedVariable.class;
        assertError(prefix(u) + "trainable variable(s) forgotten are not listed in parameterNames." + contract(u)
                + "list every trainable variable in parameterNames, or make it a constant with SameDiff.constant.",
                () -> Model.build(spec(u)));
        Class<?> k = CustomFactories.UnknownParameter.class;
        assertError(prefix(k) + "parameter 'V' is not a trainable variable of the graph." + contract(k)
                + "create it with SameDiff.var(\"V\", dataType, shape), or remove it from parameterNames.",
                () -> Model.build(spec(k)));
        Class<?> l = CustomFactories.MissingLoss.class;
        assertError(prefix(l) + "the loss variable 'total_loss' does not exist in the graph." + contract(l)
                + "name an existing variable as the loss variable of the CustomGraph.", () -> Model.build(spec(l)));
        Class<?> c = CustomFactories.TinyClassifier.class;
        assertError("Model custom(" + c.getName() + ", 4 -> 4, reconstruction): the graph has a 'labels' placeholder but "
                        + "task = reconstruction feeds no labels." + contract(c)
                        + "use the features as the target, or set task = regression to feed targets.",
                () -> Model.build(new CustomSpec(c.getName(), 4, 4, Task.RECONSTRUCTION)));
    }

    @Test
    void contractViolationsFoundWhenRunning() {
        INDArray x = TestData.normal(1, 2, 4, DataType.FLOAT);
        INDArray y = TestData.classes(2, 2, 3, DataType.FLOAT);
        Class<?> v = CustomFactories.VectorLoss.class;
        Model vector = Model.build(spec(v));
        assertError(prefix(v) + "the loss variable 'vector_loss' has shape [3], expected a scalar." + contract(v)
                        + "reduce the per-example losses with sum() to one scalar.",
                () -> vector.evaluate(vector.initialParameters(1), x, y));
        Class<?> t = CustomFactories.TransposedPrediction.class;
        Model transposed = Model.build(spec(t));
        assertError(prefix(t) + "the prediction variable 'transposed' has shape [3, 2], expected [2, 3]." + contract(t)
                        + "make the prediction one row of output_dim = 3 values per example.",
                () -> transposed.predict(transposed.initialParameters(1), x));
        Class<?> s = CustomFactories.InconsistentShapes.class;
        Model broken = Model.build(spec(s));
        String message = assertThrows(ModelException.class, () -> broken.lossAndGradient(broken.initialParameters(1), x, y))
                .getMessage();
        assertTrue(message.startsWith(prefix(s) + "the custom graph failed while computing the loss and its gradient ("),
                message);
        assertTrue(message.endsWith(". Cause: an op of the graph of " + s.getName() + " rejected its inputs. Fix: check "
                + "the graph's shapes against input_dim/output_dim, e.g. by running it with SameDiff directly."), message);
    }

    static void assertError(String message, Executable e) {
        assertEquals(message, assertThrows(ModelException.class, e).getMessage());
    }
}
