package io.lather.models.internal;

import io.lather.models.ModelException;
import io.lather.models.ModelSpec;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Builds every user-facing error of the models module, so the wording is consistent and tests can assert it.
 *
 * <p>Two shapes:
 * <ul>
 *   <li>config errors, raised while a {@link ModelSpec} is constructed or parsed, follow the project's config style
 *       {@code "<type>: <field> = <value>; must be <range>"} — the field and range are the fix;</li>
 *   <li>runtime errors, raised when inputs do not fit a built model, read
 *       {@code "Model <description>: <problem>. Cause: <cause>. Fix: <fix>."}, naming the parameter or column and
 *       the expected and actual values.</li>
 * </ul>
 */
public final class ModelErrors {
    private ModelErrors() {
    }

    // ---------------------------------------------------------------- config errors

    /**
     * A numeric field outside its range.
     *
     * @param type  model type name, e.g. {@code mlp}
     * @param field config key
     * @param value the rejected value
     * @param min   smallest valid value
     * @param max   largest valid value
     * @return the exception to throw
     */
    public static ModelException outOfRange(String type, String field, long value, long min, long max) {
        return new ModelException(type + ": " + field + " = " + value + "; must be in [" + min + ", " + max + "]");
    }

    /**
     * A kernel size that is even or outside its range.
     *
     * @param type  model type name
     * @param field config key
     * @param value the rejected value
     * @param min   smallest valid value
     * @param max   largest valid value
     * @return the exception to throw
     */
    public static ModelException notOddInRange(String type, String field, long value, long min, long max) {
        return new ModelException(type + ": " + field + " = " + value + "; must be an odd integer in [" + min + ", "
                + max + "] (odd, so that 'same' padding is symmetric)");
    }

    /**
     * An image side too small for the two max-pools of the CNN.
     *
     * @param type     model type name
     * @param field    {@code height} or {@code width}
     * @param value    the rejected value
     * @param poolSize the pool size p; the side must be at least p²
     * @return the exception to throw
     */
    public static ModelException imageTooSmall(String type, String field, long value, long poolSize) {
        return new ModelException(type + ": " + field + " = " + value + "; must be >= " + poolSize * poolSize
                + " (pool_size² = " + poolSize + "², so that both max-pools leave at least one pixel)");
    }

    /**
     * A field that must be one of a list of names.
     *
     * @param type  model type name
     * @param field config key
     * @param value the rejected value
     * @param valid the valid names
     * @return the exception to throw
     */
    public static ModelException notOneOf(String type, String field, String value, Collection<String> valid) {
        return new ModelException(type + ": " + field + " = '" + value + "'; must be one of " + String.join(", ", valid));
    }

    /**
     * A value that is not an integer.
     *
     * @param type  model type name
     * @param field config key
     * @param raw   the text found
     * @return the exception to throw
     */
    public static ModelException notAnInteger(String type, String field, String raw) {
        return new ModelException(type + ": " + field + " = '" + raw + "'; must be an integer");
    }

    /**
     * A value that is not a comma-separated list of integers.
     *
     * @param type  model type name
     * @param field config key
     * @param raw   the text found
     * @return the exception to throw
     */
    public static ModelException notAnIntegerList(String type, String field, String raw) {
        return new ModelException(type + ": " + field + " = '" + raw
                + "'; must be a comma-separated list of integers such as '256,128' (empty for none)");
    }

    /**
     * An unknown model type name.
     *
     * @param value the rejected value
     * @param valid the known type names
     * @return the exception to throw
     */
    public static ModelException unknownType(String value, Collection<String> valid) {
        return new ModelException("model: type = '" + value + "'; must be one of " + String.join(", ", valid));
    }

    /**
     * A required config key that is absent.
     *
     * @param type  model type name
     * @param key   the missing key
     * @param valid all keys of this type
     * @return the exception to throw
     */
    public static ModelException missingKey(String type, String key, Collection<String> valid) {
        return new ModelException(type + ": config key '" + key + "' is missing; it is required (keys of " + type
                + ": " + String.join(", ", valid) + ")");
    }

    /**
     * A config without a {@code type} key.
     *
     * @param valid the known type names
     * @return the exception to throw
     */
    public static ModelException missingType(Collection<String> valid) {
        return new ModelException("model: config key 'type' is missing; it is required and must be one of "
                + String.join(", ", valid));
    }

    /**
     * Config keys that this type does not have (typos are caught rather than silently ignored).
     *
     * @param type    model type name
     * @param unknown the unknown keys, sorted
     * @param valid   all keys of this type
     * @return the exception to throw
     */
    public static ModelException unknownKeys(String type, Collection<String> unknown, Collection<String> valid) {
        return new ModelException(type + ": unknown config key(s) " + String.join(", ", unknown) + "; valid keys are "
                + String.join(", ", valid));
    }

    /**
     * A custom factory class name that is not a Java binary class name.
     *
     * @param value the rejected value
     * @return the exception to throw
     */
    public static ModelException badClassName(String value) {
        return new ModelException("custom: factory_class = '" + value
                + "'; must be a fully qualified Java class name such as com.example.MyModelFactory");
    }

    /**
     * A parameter tensor with more elements than a Java array can hold (parameters cross Spark boundaries as
     * primitive arrays).
     *
     * @param type     model type name
     * @param what     which tensor, e.g. {@code the weight between layers of width 100000 and 100000}
     * @param elements its element count
     * @param fix      which field to reduce
     * @return the exception to throw
     */
    public static ModelException tooManyElements(String type, String what, long elements, String fix) {
        return new ModelException(type + ": " + what + " would have " + elements + " elements; must be <= "
                + MAX_ARRAY + " so that it fits in a Java array (" + fix + ")");
    }

    /** The largest Java array length that all JVMs allocate. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    // ---------------------------------------------------------------- runtime errors

    private static ModelException runtime(ModelSpec spec, String problem, String cause, String fix) {
        return new ModelException("Model " + spec.describe() + ": " + problem + ". Cause: " + cause + ". Fix: " + fix + ".");
    }

    private static ModelException runtime(ModelSpec spec, String problem, String cause, String fix, Throwable t) {
        return new ModelException("Model " + spec.describe() + ": " + problem + ". Cause: " + cause + ". Fix: " + fix + ".", t);
    }

    /**
     * Features that are not a rank-2 matrix.
     *
     * @param spec  the model
     * @param shape the features' shape
     * @return the exception to throw
     */
    public static ModelException featuresNotMatrix(ModelSpec spec, long[] shape) {
        return runtime(spec, "features have shape " + Arrays.toString(shape) + ", expected [rows, " + spec.inputDim() + "]",
                "the model takes a matrix with one example per row", "reshape the features to [rows, "
                        + spec.inputDim() + "] (row-major, one flattened example per row)");
    }

    /**
     * A feature matrix of the wrong width.
     *
     * @param spec   the model
     * @param actual the columns found
     * @return the exception to throw
     */
    public static ModelException featuresWidth(ModelSpec spec, long actual) {
        String fix = spec instanceof io.lather.models.CnnSpec
                ? "set channels, height and width in the model config so that channels × height × width = " + actual
                : "set input_dim = " + actual + " in the model config";
        return runtime(spec, "features have " + actual + " columns, expected " + spec.inputDim() + " (" + inputDimName(spec) + ")",
                "the feature vectors of the data are not as wide as the model's input layer",
                fix + " if the data is right, or select the " + spec.inputDim()
                        + " feature columns the model was configured for");
    }

    /**
     * A flat feature array whose length is not rows × inputDim.
     *
     * @param spec   the model
     * @param length the array length
     * @param rows   the row count passed
     * @return the exception to throw
     */
    public static ModelException featureArrayLength(ModelSpec spec, long length, long rows) {
        return runtime(spec, "the features array has length " + length + ", expected rows × " + inputDimName(spec) + " = "
                        + rows + " × " + spec.inputDim() + " = " + rows * spec.inputDim(),
                "the row count or the feature width does not match the packed array",
                "pass the number of rows actually packed, and pack exactly " + spec.inputDim()
                        + " values per row (row-major)");
    }

    /**
     * A negative row count.
     *
     * @param spec the model
     * @param rows the row count passed
     * @return the exception to throw
     */
    public static ModelException negativeRows(ModelSpec spec, long rows) {
        return runtime(spec, "rows = " + rows + ", expected >= 0", "a negative row count was passed",
                "pass the number of examples packed in the arrays");
    }

    /**
     * Labels absent for a task that needs them.
     *
     * @param spec the model
     * @return the exception to throw
     */
    public static ModelException labelsMissing(ModelSpec spec) {
        return runtime(spec, "labels are null", "a " + spec.task().configName() + " model needs one label row per example",
                "pass the label column(s) of the batch (" + labelFormat(spec) + ")");
    }

    /**
     * Labels of the wrong shape.
     *
     * @param spec  the model
     * @param shape the labels' shape
     * @param rows  the features' row count
     * @param width the label width expected
     * @return the exception to throw
     */
    public static ModelException labelsShape(ModelSpec spec, long[] shape, long rows, long width) {
        String expected = width == 1 ? "[" + rows + "] or [" + rows + ", 1]" : "[" + rows + ", " + width + "]";
        return runtime(spec, "labels have shape " + Arrays.toString(shape) + ", expected " + expected,
                "there must be one label row per feature row, " + labelFormat(spec),
                "pass the labels of exactly the rows in the features, in the same order");
    }

    /**
     * A flat label array of the wrong length.
     *
     * @param spec   the model
     * @param length the array length
     * @param rows   the row count passed
     * @param width  labels per row
     * @return the exception to throw
     */
    public static ModelException labelArrayLength(ModelSpec spec, long length, long rows, long width) {
        return runtime(spec, "the labels array has length " + length + ", expected rows × " + width + " = " + rows * width,
                "there must be one label row per feature row, " + labelFormat(spec),
                "pack the labels of exactly the rows in the features array, in the same order");
    }

    /**
     * A class label that is not an integer in [0, K).
     *
     * @param spec    the model
     * @param row     the row (0-based within the batch)
     * @param value   the label found
     * @return the exception to throw
     */
    public static ModelException labelOutOfRange(ModelSpec spec, long row, double value) {
        int k = spec.outputDim();
        return runtime(spec, "label in row " + row + " is " + value + ", expected an integer class index in [0, " + (k - 1) + "]",
                "the model was configured for " + k + " classes and labels must be class indices stored as numbers",
                "map the labels to 0.." + (k - 1) + " before training, or set the number of classes to cover them");
    }

    /**
     * Parameters the model needs that the map does not contain.
     *
     * @param spec     the model
     * @param missing  the missing names, in model order
     * @param expected all parameter names, in model order
     * @return the exception to throw
     */
    public static ModelException missingParameters(ModelSpec spec, List<String> missing, List<String> expected) {
        return runtime(spec, "parameter(s) " + String.join(", ", missing) + " missing",
                "the parameter map must hold exactly the model's parameters " + String.join(", ", expected),
                "start from Model.initialParameters(seed) or a checkpoint of the same model spec");
    }

    /**
     * Parameters in the map that the model does not have.
     *
     * @param spec       the model
     * @param unexpected the unknown names, sorted
     * @param expected   all parameter names, in model order
     * @return the exception to throw
     */
    public static ModelException unexpectedParameters(ModelSpec spec, List<String> unexpected, List<String> expected) {
        return runtime(spec, "unknown parameter(s) " + String.join(", ", unexpected),
                "the parameter map must hold exactly the model's parameters " + String.join(", ", expected),
                "check that the parameters (or checkpoint) belong to this model spec; names are case-sensitive");
    }

    /**
     * A parameter of the wrong shape.
     *
     * @param spec     the model
     * @param name     the parameter
     * @param expected its shape in the model
     * @param actual   the shape found
     * @return the exception to throw
     */
    public static ModelException parameterShape(ModelSpec spec, String name, long[] expected, long[] actual) {
        return runtime(spec, "parameter " + name + " has shape " + Arrays.toString(actual) + ", expected "
                        + Arrays.toString(expected),
                "the parameters were made for a model with different layer sizes",
                "use parameters from Model.initialParameters(seed) or a checkpoint of this exact model spec");
    }

    /**
     * A flat parameter array of the wrong length.
     *
     * @param spec     the model
     * @param name     the parameter
     * @param expected its shape in the model
     * @param length   the array length found
     * @return the exception to throw
     */
    public static ModelException parameterArrayLength(ModelSpec spec, String name, long[] expected, long length) {
        long size = 1;
        for (long d : expected) {
            size *= d;
        }
        return runtime(spec, "parameter " + name + " has " + length + " values, expected " + size + " for shape "
                        + Arrays.toString(expected),
                "the parameters were made for a model with different layer sizes",
                "send the row-major values of the parameters of this exact model spec");
    }

    /**
     * A parameter whose array is not floating point.
     *
     * @param spec     the model
     * @param name     the parameter
     * @param dataType the data type found
     * @return the exception to throw
     */
    public static ModelException parameterNotFloating(ModelSpec spec, String name, Object dataType) {
        return runtime(spec, "parameter " + name + " has data type " + dataType + ", expected a floating-point type",
                "parameters are real-valued", "convert the array to FLOAT or DOUBLE");
    }

    /**
     * A model entered by a second thread while a first is inside it.
     *
     * @param spec the model
     * @return the exception to throw
     */
    public static ModelException concurrentUse(ModelSpec spec) {
        return runtime(spec, "called from a second thread while another call is running",
                "a Model wraps a SameDiff graph, which is not thread-safe",
                "build one Model per thread (one per Spark task); building is cheap");
    }

    // ---------------------------------------------------------------- custom models

    /**
     * The custom factory class cannot be loaded.
     *
     * @param spec  the model
     * @param cause the class-loading failure
     * @return the exception to throw
     */
    public static ModelException factoryClassNotFound(ModelSpec spec, Throwable cause) {
        return runtime(spec, "factory class " + factoryClass(spec) + " was not found",
                "it is not on the classpath of this JVM (" + cause + ")",
                "add the jar that holds it to the classpath (with Spark: --jars or spark.jars, so executors get it "
                        + "too), and check the spelling of factory_class", cause);
    }

    /**
     * The custom factory class does not implement the interface.
     *
     * @param spec the model
     * @return the exception to throw
     */
    public static ModelException notAFactory(ModelSpec spec) {
        return runtime(spec, "factory class " + factoryClass(spec) + " does not implement io.lather.models.CustomModelFactory",
                "factory_class must name a class that builds the graph",
                "implement io.lather.models.CustomModelFactory in that class");
    }

    /**
     * The custom factory class cannot be instantiated.
     *
     * @param spec  the model
     * @param cause the reflective failure
     * @return the exception to throw
     */
    public static ModelException factoryNotInstantiable(ModelSpec spec, Throwable cause) {
        return runtime(spec, "factory class " + factoryClass(spec) + " could not be instantiated (" + cause + ")",
                "the class must be public, concrete, and have a public no-argument constructor that does not throw",
                "add a public no-argument constructor to the factory", cause);
    }

    /**
     * The custom factory's {@code build} threw or returned null.
     *
     * @param spec  the model
     * @param cause what it threw, or null if it returned null
     * @return the exception to throw
     */
    public static ModelException factoryFailed(ModelSpec spec, Throwable cause) {
        String what = cause == null ? "returned null" : "threw " + cause;
        return runtime(spec, "factory " + factoryClass(spec) + ".build " + what,
                "the factory could not build its graph for this spec and precision",
                "fix the factory; it must return a CustomGraph for every valid CustomSpec", cause);
    }

    /**
     * A custom graph that breaks its contract.
     *
     * @param spec    the model
     * @param problem what is wrong, e.g. {@code the graph has no placeholder named 'features'}
     * @param fix     how to fix it
     * @return the exception to throw
     */
    public static ModelException customContract(ModelSpec spec, String problem, String fix) {
        return runtime(spec, problem, "the graph returned by " + factoryClass(spec)
                + " breaks the CustomModelFactory contract", fix);
    }

    /**
     * A custom graph that failed while executing.
     *
     * @param spec      the model
     * @param operation what was being computed
     * @param cause     the ND4J failure
     * @return the exception to throw
     */
    public static ModelException customGraphFailed(ModelSpec spec, String operation, Throwable cause) {
        return runtime(spec, "the custom graph failed while computing " + operation + " (" + cause + ")",
                "an op of the graph of " + factoryClass(spec) + " rejected its inputs",
                "check the graph's shapes against input_dim/output_dim, e.g. by running it with SameDiff directly", cause);
    }

    private static String factoryClass(ModelSpec spec) {
        return spec instanceof io.lather.models.CustomSpec c ? c.factoryClass() : "?";
    }

    private static String inputDimName(ModelSpec spec) {
        return spec instanceof io.lather.models.CnnSpec ? "channels × height × width" : "input_dim";
    }

    private static String labelFormat(ModelSpec spec) {
        return switch (spec.task()) {
            case CLASSIFICATION -> "one class index in [0, " + (spec.outputDim() - 1) + "] per row";
            case REGRESSION -> spec.outputDim() + " target value(s) per row";
            case RECONSTRUCTION -> "none (the target is the input)";
        };
    }
}
