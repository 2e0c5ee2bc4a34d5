package io.lather.models;

import io.lather.models.internal.ModelErrors;
import io.lather.models.internal.SpecChecks;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code custom}: a model whose SameDiff graph is built by user code, named by class so that the spec stays a
 * record of primitives that every Spark executor can rebuild from.
 *
 * <p>{@link Model#build} loads {@link #factoryClass()} with the thread's context class loader (which on a Spark
 * executor sees the jars added with {@code --jars}), instantiates it through its public no-argument constructor
 * and calls {@link CustomModelFactory#build(CustomSpec, org.nd4j.linalg.api.buffer.DataType)}. The class name is
 * only checked for syntax here; whether it loads is checked when the model is built, on the JVM that builds it.
 * The graph contract is documented on {@link CustomModelFactory}.
 *
 * <p>Config keys: {@code factory_class}, {@code input_dim}, {@code output_dim} (required), {@code task} (default
 * {@code classification}).
 *
 * @param factoryClass binary name of a class implementing {@link CustomModelFactory}, e.g.
 *                     {@code com.example.MyFactory} or {@code com.example.Outer$Inner}
 * @param inputDim     features per example, in [1, 2²⁴]; the width of the {@code features} placeholder
 * @param outputDim    width of the graph's prediction: number of classes K (classification, in [2, 2²⁴]), of
 *                     regression targets, or of the reconstruction (in [1, 2²⁴])
 * @param task         how labels are fed and what {@link Model#predict} means; see {@link CustomModelFactory}
 */
public record CustomSpec(String factoryClass, int inputDim, int outputDim, Task task) implements ModelSpec {

    /** The type name in config files. */
    public static final String TYPE = "custom";

    private static final Pattern BINARY_NAME =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
                    + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

    /**
     * Validates every component.
     *
     * @param factoryClass binary name of a class implementing {@link CustomModelFactory}, e.g.
     *                     {@code com.example.MyFactory} or {@code com.example.Outer$Inner}
     * @param inputDim     features per example, in [1, 2²⁴]; the width of the {@code features} placeholder
     * @param outputDim    width of the graph's prediction: number of classes K (classification, in [2, 2²⁴]), of
     *                     regression targets, or of the reconstruction (in [1, 2²⁴])
     * @param task         how labels are fed and what {@link Model#predict} means; see {@link CustomModelFactory}
     * @throws ModelException naming the field, the value and the valid range
     */
    public CustomSpec {
        Objects.requireNonNull(factoryClass, "factoryClass");
        Objects.requireNonNull(task, "task");
        if (!BINARY_NAME.matcher(factoryClass).matches()) {
            throw ModelErrors.badClassName(factoryClass);
        }
        SpecChecks.dim(TYPE, "input_dim", inputDim, 1);
        SpecChecks.dim(TYPE, "output_dim", outputDim, task == Task.CLASSIFICATION ? 2 : 1);
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    /** For example {@code custom(com.example.MyFactory, 784 -> 10, classification)}. */
    @Override
    public String describe() {
        return TYPE + "(" + factoryClass + ", " + inputDim + " -> " + outputDim + ", " + task.configName() + ")";
    }
}
