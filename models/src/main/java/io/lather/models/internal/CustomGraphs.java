package io.lather.models.internal;

import io.lather.models.CustomGraph;
import io.lather.models.CustomModelFactory;
import io.lather.models.CustomSpec;
import io.lather.models.ParameterInit;
import io.lather.models.ParameterSpec;
import io.lather.models.Task;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a {@link CustomModelFactory} by class name, builds its graph and checks the contract documented there, so
 * that a broken graph fails when the model is built with a message naming the offending variable, not later inside
 * SameDiff.
 */
public final class CustomGraphs {
    private CustomGraphs() {
    }

    /**
     * Loads the factory of a spec.
     *
     * @param spec the spec
     * @return a new factory instance
     * @throws io.lather.models.ModelException if the class cannot be loaded, is not a factory or cannot be instantiated
     */
    public static CustomModelFactory loadFactory(CustomSpec spec) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = CustomGraphs.class.getClassLoader();
        }
        Class<?> c;
        try {
            c = Class.forName(spec.factoryClass(), true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw ModelErrors.factoryClassNotFound(spec, e);
        }
        if (!CustomModelFactory.class.isAssignableFrom(c)) {
            throw ModelErrors.notAFactory(spec);
        }
        try {
            return (CustomModelFactory) c.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw ModelErrors.factoryNotInstantiable(spec, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw ModelErrors.factoryNotInstantiable(spec, e);
        }
    }

    /**
     * Builds and checks the graph of a custom spec.
     *
     * @param spec    the spec
     * @param factory its factory, from {@link #loadFactory(CustomSpec)}
     * @param dt      FLOAT or DOUBLE
     * @return the graph, with the loss variable set
     * @throws io.lather.models.ModelException if the factory fails or the graph breaks the contract
     */
    public static ModelGraph build(CustomSpec spec, CustomModelFactory factory, DataType dt) {
        CustomGraph g;
        try {
            g = factory.build(spec, dt);
        } catch (RuntimeException e) {
            throw ModelErrors.factoryFailed(spec, e);
        }
        if (g == null) {
            throw ModelErrors.factoryFailed(spec, null);
        }
        SameDiff sd = g.sameDiff();
        checkPlaceholder(spec, sd, CustomGraph.FEATURES, dt, spec.inputDim(), true);
        boolean hasLabels = sd.hasVariable(CustomGraph.LABELS);
        if (hasLabels && spec.task() == Task.RECONSTRUCTION) {
            throw ModelErrors.customContract(spec, "the graph has a '" + CustomGraph.LABELS
                            + "' placeholder but task = reconstruction feeds no labels",
                    "use the features as the target, or set task = regression to feed targets");
        }
        if (hasLabels) {
            checkPlaceholder(spec, sd, CustomGraph.LABELS, dt, spec.outputDim(), false);
        }
        checkExists(spec, sd, "loss", g.lossVariable());
        checkExists(spec, sd, "prediction", g.predictionVariable());

        Set<String> seen = new HashSet<>();
        List<ParameterSpec> params = new ArrayList<>();
        List<ParameterInit> inits = new ArrayList<>();
        for (String name : g.parameterNames()) {
            if (!seen.add(name)) {
                throw ModelErrors.customContract(spec, "parameter '" + name + "' is listed twice in parameterNames",
                        "list each trainable variable once");
            }
            if (!sd.hasVariable(name) || sd.getVariable(name).getVariableType() != VariableType.VARIABLE) {
                throw ModelErrors.customContract(spec, "parameter '" + name + "' is not a trainable variable of the graph",
                        "create it with SameDiff.var(\"" + name + "\", dataType, shape), or remove it from parameterNames");
            }
            SDVariable v = sd.getVariable(name);
            if (v.dataType() != dt) {
                throw ModelErrors.customContract(spec, "parameter '" + name + "' has data type " + v.dataType()
                        + ", expected " + dt, "create variables with the data type passed to build");
            }
            long[] shape = v.getShape();
            if (shape == null || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
                throw ModelErrors.customContract(spec, "parameter '" + name + "' has shape " + Arrays.toString(shape)
                        + ", expected a fixed shape with every dimension >= 1", "give the variable a concrete shape");
            }
            ParameterSpec p = new ParameterSpec(name, shape);
            if (p.size() > ModelErrors.MAX_ARRAY) {
                throw ModelErrors.customContract(spec, "parameter '" + name + "' has " + p.size() + " elements, more than "
                        + ModelErrors.MAX_ARRAY, "split it: parameters must fit in a Java array");
            }
            params.add(p);
            inits.add(factory.initialization(p));
        }
        TreeSet<String> unlisted = new TreeSet<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && !seen.contains(v.name())) {
                unlisted.add(v.name());
            }
        }
        if (!unlisted.isEmpty()) {
            throw ModelErrors.customContract(spec, "trainable variable(s) " + String.join(", ", unlisted)
                            + " are not listed in parameterNames",
                    "list every trainable variable in parameterNames, or make it a constant with SameDiff.constant");
        }
        sd.setLossVariables(g.lossVariable());
        return new ModelGraph(sd, params, inits, g.lossVariable(), g.predictionVariable(), hasLabels);
    }

    private static void checkExists(CustomSpec spec, SameDiff sd, String role, String name) {
        if (!sd.hasVariable(name)) {
            throw ModelErrors.customContract(spec, "the " + role + " variable '" + name + "' does not exist in the graph",
                    "name an existing variable as the " + role + " variable of the CustomGraph");
        }
    }

    private static void checkPlaceholder(CustomSpec spec, SameDiff sd, String name, DataType dt, long width,
                                         boolean required) {
        if (!sd.hasVariable(name)) {
            if (required) {
                throw ModelErrors.customContract(spec, "the graph has no placeholder named '" + name + "'",
                        "create it with SameDiff.placeHolder(\"" + name + "\", dataType, -1, " + width + ")");
            }
            return;
        }
        SDVariable v = sd.getVariable(name);
        if (!v.isPlaceHolder()) {
            throw ModelErrors.customContract(spec, "'" + name + "' is a " + v.getVariableType() + ", expected a placeholder",
                    "create it with SameDiff.placeHolder(\"" + name + "\", dataType, -1, " + width + ")");
        }
        if (v.dataType() != dt) {
            throw ModelErrors.customContract(spec, "placeholder '" + name + "' has data type " + v.dataType()
                    + ", expected " + dt, "create placeholders with the data type passed to build");
        }
        long[] shape = v.getShape();
        if (shape != null && (shape.length != 2 || (shape[1] != -1 && shape[1] != width))) {
            throw ModelErrors.customContract(spec, "placeholder '" + name + "' has shape " + Arrays.toString(shape)
                            + ", expected [-1, " + width + "]",
                    "create it with SameDiff.placeHolder(\"" + name + "\", dataType, -1, " + width + ")");
        }
    }
}
