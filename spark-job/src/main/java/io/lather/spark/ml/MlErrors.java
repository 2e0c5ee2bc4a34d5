package io.lather.spark.ml;

import java.util.Arrays;
import java.util.List;

/** The user-facing errors of the Spark ML stages (problem, cause, fix), built in one place. */
final class MlErrors {
    private MlErrors() {}

    static LatherMlException badParam(String stage, String param, Object value, String rule) {
        return new LatherMlException(stage + ": param " + param + " = " + value + "; " + rule);
    }

    static LatherMlException missingColumn(String stage, String role, String param, String column, String[] present) {
        return new LatherMlException(stage + ": the input has no " + role + " column '" + column + "' (param " + param
                + "; columns present: " + Arrays.toString(present) + "). Fix: set " + param + " to one of those columns"
                + (role.equals("features") ? ", or assemble one with VectorAssembler." : "."));
    }

    static LatherMlException notAVector(String stage, String column, String actual) {
        return new LatherMlException(stage + ": features column '" + column + "' has type " + actual
                + "; it must be an MLlib vector (org.apache.spark.ml.linalg.VectorUDT). Fix: build it with VectorAssembler "
                + "(e.g. new VectorAssembler().setInputCols(...).setOutputCol(\"" + column + "\")), or use "
                + "org.apache.spark.ml.functions.array_to_vector for an array column.");
    }

    static LatherMlException notNumeric(String stage, String column, String actual) {
        return new LatherMlException(stage + ": label column '" + column + "' has type " + actual
                + "; it must be numeric. Fix: cast it, or index text labels with StringIndexer.");
    }

    static LatherMlException tooFewClasses(String stage, String column, int classes) {
        return new LatherMlException(stage + ": label column '" + column + "' holds " + classes
                + " class(es); a classifier needs at least 2 (labels are class indices 0..K-1). Fix: check the label "
                + "column and any filter applied to the training data.");
    }

    static LatherMlException nullFeatures(String stage, String column) {
        return new LatherMlException(stage + ": a row has a null features vector in column '" + column
                + "'. Fix: drop or impute such rows before transform (e.g. df.na().drop(new String[]{\"" + column + "\"})).");
    }

    static LatherMlException featureSize(String stage, String column, int actual, int expected) {
        return new LatherMlException(stage + ": a features vector in column '" + column + "' has " + actual
                + " values; the model was trained on " + expected + ". Fix: assemble the same feature columns, in the same "
                + "order, as for fit.");
    }

    static LatherMlException thresholds(String stage, int length, int classes) {
        return new LatherMlException(stage + ": thresholds has " + length + " values but the model has " + classes
                + " classes. Fix: give one threshold per class, or clear thresholds.");
    }

    static LatherMlException badOptimizerOption(String stage, String entry) {
        return new LatherMlException(stage + ": optimizerOptions entry '" + entry + "' is not key=value. Fix: write entries "
                + "such as 'beta2=0.99' or 'optimizer.precondition_frequency=20'.");
    }

    static LatherMlException invalidSettings(String stage, String what, RuntimeException cause) {
        return new LatherMlException(stage + ": " + what + ": " + cause.getMessage(), cause);
    }

    static LatherMlException notOneOf(String stage, String param, String value, List<String> options, String suggestion) {
        return new LatherMlException(stage + ": param " + param + " = '" + value + "'; must be one of " + options + suggestion);
    }

    static LatherMlException badSavedModel(String path, String problem) {
        return new LatherMlException("The saved Lather model at " + path + " is not valid: " + problem
                + ". Fix: save the model again (model.write().overwrite().save(path)); do not edit the directory by hand.");
    }
}
