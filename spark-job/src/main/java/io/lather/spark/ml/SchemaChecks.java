package io.lather.spark.ml;

import java.util.Arrays;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/** Input-schema checks run before Spark's own, so that a wrong column gets a message that says what to do. */
final class SchemaChecks {
    private SchemaChecks() {}

    static void requireFeatures(String stage, StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw MlErrors.missingColumn(stage, "features", "featuresCol", column, schema.fieldNames());
        }
        DataType t = schema.apply(column).dataType();
        if (!(t instanceof VectorUDT)) {
            throw MlErrors.notAVector(stage, column, t.simpleString());
        }
    }

    static void requireNumericLabel(String stage, StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw MlErrors.missingColumn(stage, "label", "labelCol", column, schema.fieldNames());
        }
        DataType t = schema.apply(column).dataType();
        if (!(t instanceof NumericType)) {
            throw MlErrors.notNumeric(stage, column, t.simpleString());
        }
    }
}
