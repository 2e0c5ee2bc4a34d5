package io.lather.datasets.internal;

import io.lather.datasets.DataErrors;
import io.lather.datasets.DataErrors.Example;
import io.lather.datasets.Expectations;
import io.lather.datasets.LatherDataException;
import io.lather.datasets.LatherTable;
import io.lather.datasets.ValidationSummary;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The data pass of Lather table validation: one scan, one small summary per partition, merged on the
 * driver in partition order.
 *
 * <p>The summary is a monoid ({@link Stats#merge}); merging in partition-index order (not task
 * completion order) makes "the first offending row" well defined: the first in scan order, reported
 * with its 1-based row number and its {@code row_id}. Only the first example of each problem is kept,
 * so the summary stays a few hundred bytes whatever the table size.
 */
public final class RowChecker {

  private RowChecker() {}

  /** The checks, in the order their errors are reported when several fail. */
  enum Check {
    NULL_ROW_ID, NULL_SPLIT, NULL_LABEL, NULL_FEATURES, NULL_FEATURE_VALUE, NULL_TARGET,
    NULL_TARGET_VALUE, EMPTY_SPLIT, EMPTY_FEATURES, FEATURE_COUNT, NON_FINITE_FEATURE,
    NON_FINITE_TARGET, NON_FINITE_LABEL, LABEL_NEGATIVE, LABEL_NOT_INTEGRAL, LABEL_TOO_LARGE
  }

  /** One offending row: position within the partition (later: within the table), id, detail. */
  record Issue(long position, Long rowId, String detail) implements Serializable {
    private static final long serialVersionUID = 1L;

    Issue shift(long offset) {
      return new Issue(position + offset, rowId, detail);
    }

    Example example() {
      return new Example(position + 1, rowId, detail);
    }
  }

  /** Column positions and the checks to run; shipped to the executors. */
  record Plan(int rowId, int split, int label, int features, int target, Expectations rules)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The per-partition summary, and the monoid that merges them. */
  static final class Stats implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Required feature count, 0 = unknown; copied from the plan so the row loop reads a field. */
    private final int expectedFeatures;
    long count;
    final Issue[] first = new Issue[Check.values().length];
    /** Length of the first row's array, and the first row whose length differs from it. */
    int featureLen = -1;
    Issue featureLenRow;
    Issue featureRagged;
    int targetLen = -1;
    Issue targetLenRow;
    Issue targetRagged;
    double maxLabel = Double.NEGATIVE_INFINITY;
    final TreeMap<String, Long> splits = new TreeMap<>();

    Stats(int expectedFeatures) {
      this.expectedFeatures = expectedFeatures;
    }

    void add(Row row, Plan plan) {
      long position = count++;
      Long id = row.isNullAt(plan.rowId) ? null : row.getLong(plan.rowId);
      if (id == null) {
        note(Check.NULL_ROW_ID, position, null, "row_id = null");
      }
      if (row.isNullAt(plan.split)) {
        note(Check.NULL_SPLIT, position, id, "split = null");
      } else {
        String split = row.getString(plan.split);
        if (split.isEmpty()) {
          note(Check.EMPTY_SPLIT, position, id, "split = ''");
        }
        // A few split names are expected; the cap only protects the driver from a mistaken column.
        if (splits.size() < 1000 || splits.containsKey(split)) {
          splits.merge(split, 1L, Long::sum);
        }
      }
      checkLabel(row, plan, position, id);
      checkArray(row, plan.features, LatherTable.FEATURES, plan.rules.featureNames(), position, id,
          true);
      if (plan.target >= 0) {
        checkArray(row, plan.target, LatherTable.TARGET, List.of(), position, id, false);
      }
    }

    private void checkLabel(Row row, Plan plan, long position, Long id) {
      if (row.isNullAt(plan.label)) {
        note(Check.NULL_LABEL, position, id, "label = null");
        return;
      }
      double y = row.getDouble(plan.label);
      String detail = "label = " + y;
      if (!Double.isFinite(y)) {
        note(Check.NON_FINITE_LABEL, position, id, detail);
        return;
      }
      maxLabel = Math.max(maxLabel, y);
      Expectations rules = plan.rules;
      if (rules.classification()) {
        if (y < 0) {
          note(Check.LABEL_NEGATIVE, position, id, detail);
        } else if (y != Math.rint(y)) {
          note(Check.LABEL_NOT_INTEGRAL, position, id, detail);
        } else if (rules.numClasses() > 0 && y >= rules.numClasses()) {
          note(Check.LABEL_TOO_LARGE, position, id, detail);
        }
      }
    }

    private void checkArray(Row row, int index, String column, List<String> names,
        long position, Long id, boolean isFeatures) {
      if (row.isNullAt(index)) {
        note(isFeatures ? Check.NULL_FEATURES : Check.NULL_TARGET, position, id, column + " = null");
        return;
      }
      List<Object> values = row.getList(index);
      int n = values.size();
      if (isFeatures) {
        if (n == 0) {
          note(Check.EMPTY_FEATURES, position, id, "features = [] (0 values)");
        } else if (expectedFeatures > 0 && n != expectedFeatures) {
          note(Check.FEATURE_COUNT, position, id, "features has " + n + " values");
        }
        if (featureLen < 0) {
          featureLen = n;
          featureLenRow = new Issue(position, id, column + " has " + n + " values");
        } else if (n != featureLen && featureRagged == null) {
          featureRagged = new Issue(position, id, column + " has " + n + " values");
        }
      } else {
        if (targetLen < 0) {
          targetLen = n;
          targetLenRow = new Issue(position, id, column + " has " + n + " values");
        } else if (n != targetLen && targetRagged == null) {
          targetRagged = new Issue(position, id, column + " has " + n + " values");
        }
      }
      Check nullCheck = isFeatures ? Check.NULL_FEATURE_VALUE : Check.NULL_TARGET_VALUE;
      Check finiteCheck = isFeatures ? Check.NON_FINITE_FEATURE : Check.NON_FINITE_TARGET;
      if (first[nullCheck.ordinal()] != null && first[finiteCheck.ordinal()] != null) {
        return; // both examples already found in this partition; skip the element scan
      }
      for (int j = 0; j < n; j++) {
        Object v = values.get(j);
        if (v == null) {
          note(nullCheck, position, id, element(column, j, names) + " = null");
          break;
        }
        float f = (Float) v;
        if (!Float.isFinite(f)) {
          note(finiteCheck, position, id, element(column, j, names) + " = " + f);
          break;
        }
      }
    }

    private void note(Check check, long position, Long id, String detail) {
      if (first[check.ordinal()] == null) {
        first[check.ordinal()] = new Issue(position, id, detail);
      }
    }

    /** Merges {@code right}, which follows this summary in scan order, into this one. */
    Stats merge(Stats right) {
      long offset = count;
      for (int i = 0; i < first.length; i++) {
        if (first[i] == null && right.first[i] != null) {
          first[i] = right.first[i].shift(offset);
        }
      }
      // Ragged check across partitions: the table's reference length is the first row's length.
      if (featureLen < 0) {
        featureLen = right.featureLen;
        featureLenRow = shift(right.featureLenRow, offset);
        featureRagged = shift(right.featureRagged, offset);
      } else if (featureRagged == null && right.featureLen >= 0) {
        featureRagged = right.featureLen != featureLen
            ? shift(right.featureLenRow, offset)
            : shift(right.featureRagged, offset);
      }
      if (targetLen < 0) {
        targetLen = right.targetLen;
        targetLenRow = shift(right.targetLenRow, offset);
        targetRagged = shift(right.targetRagged, offset);
      } else if (targetRagged == null && right.targetLen >= 0) {
        targetRagged = right.targetLen != targetLen
            ? shift(right.targetLenRow, offset)
            : shift(right.targetRagged, offset);
      }
      maxLabel = Math.max(maxLabel, right.maxLabel);
      right.splits.forEach((k, v) -> splits.merge(k, v, Long::sum));
      count += right.count;
      return this;
    }

    private static Issue shift(Issue issue, long offset) {
      return issue == null ? null : issue.shift(offset);
    }
  }

  private static String element(String column, int index, List<String> names) {
    String s = column + "[" + index + "]";
    if (index < names.size()) {
      s += " (source column '" + names.get(index) + "')";
    }
    return s;
  }

  /**
   * Scans {@code table} once and throws the first problem found, or returns the summary.
   *
   * @param table rows in the Lather schema (the schema must already have been checked)
   * @param tableName name used in error messages
   * @param rules the facts to check beyond the schema
   * @return the summary of a table that passed every check
   * @throws LatherDataException describing the first problem (in {@link Check} order), with an
   *     example row; other problems found are listed on an extra line
   */
  public static ValidationSummary run(Dataset<Row> table, String tableName, Expectations rules) {
    StructType schema = table.schema();
    List<String> names = List.of(schema.fieldNames());
    Plan plan = new Plan(names.indexOf(LatherTable.ROW_ID), names.indexOf(LatherTable.SPLIT),
        names.indexOf(LatherTable.LABEL), names.indexOf(LatherTable.FEATURES),
        names.indexOf(LatherTable.TARGET), rules);
    Function2<Integer, java.util.Iterator<Row>, java.util.Iterator<Stats>> scan =
        (partition, rows) -> {
          Stats s = new Stats(plan.rules().numFeatures());
          while (rows.hasNext()) {
            s.add(rows.next(), plan);
          }
          return Collections.singletonList(s).iterator();
        };
    // collect() returns partition summaries in partition order, which the merge relies on.
    List<Stats> parts = table.javaRDD().mapPartitionsWithIndex(scan, false).collect();
    Stats total = new Stats(rules.numFeatures());
    for (Stats p : parts) {
      total.merge(p);
    }
    return finish(total, tableName, rules, plan.target >= 0);
  }

  private static ValidationSummary finish(Stats s, String table, Expectations rules,
      boolean hasTarget) {
    if (s.count == 0) {
      throw DataErrors.emptyTable(table);
    }
    List<LatherDataException> problems = new ArrayList<>();
    for (Check c : Check.values()) {
      Issue issue = s.first[c.ordinal()];
      if (issue != null) {
        problems.add(toError(c, issue.example(), table, rules));
      }
      if (c == Check.FEATURE_COUNT && issue == null && s.featureRagged != null) {
        problems.add(DataErrors.ragged(table, LatherTable.FEATURES, s.featureLenRow.example(),
            s.featureRagged.example()));
      }
      if (c == Check.FEATURE_COUNT && s.targetRagged != null) {
        problems.add(DataErrors.ragged(table, LatherTable.TARGET, s.targetLenRow.example(),
            s.targetRagged.example()));
      }
    }
    if (problems.isEmpty() && rules.numRows() >= 0 && rules.numRows() != s.count) {
      problems.add(DataErrors.rowCountMismatch(table, rules.numRows(), s.count));
    }
    if (!problems.isEmpty()) {
      LatherDataException primary = problems.get(0);
      if (problems.size() == 1) {
        throw primary;
      }
      StringBuilder others = new StringBuilder();
      for (LatherDataException p : problems.subList(1, problems.size())) {
        others.append(others.length() == 0 ? "" : "; ")
            .append(p.getMessage().lines().findFirst().orElse(""));
      }
      throw DataErrors.withOtherProblems(primary, others.toString());
    }
    return new ValidationSummary(s.count, s.featureLen, hasTarget ? s.targetLen : 0, s.maxLabel,
        Map.copyOf(s.splits));
  }

  private static LatherDataException toError(Check c, Example ex, String table,
      Expectations rules) {
    return switch (c) {
      case NULL_ROW_ID -> DataErrors.nullValue(table, LatherTable.ROW_ID, ex);
      case NULL_SPLIT -> DataErrors.nullValue(table, LatherTable.SPLIT, ex);
      case NULL_LABEL -> DataErrors.nullValue(table, LatherTable.LABEL, ex);
      case NULL_FEATURES, NULL_FEATURE_VALUE -> DataErrors.nullValue(table, LatherTable.FEATURES,
          ex);
      case NULL_TARGET, NULL_TARGET_VALUE -> DataErrors.nullValue(table, LatherTable.TARGET, ex);
      case EMPTY_SPLIT -> DataErrors.emptySplitName(table, ex);
      case EMPTY_FEATURES -> DataErrors.emptyFeatureArray(table, ex);
      case FEATURE_COUNT -> DataErrors.featureCountMismatch(table, LatherTable.FEATURES,
          rules.numFeatures(), ex);
      case NON_FINITE_FEATURE -> DataErrors.nonFiniteFeature(table, LatherTable.FEATURES, ex);
      case NON_FINITE_TARGET -> DataErrors.nonFiniteFeature(table, LatherTable.TARGET, ex);
      case NON_FINITE_LABEL -> DataErrors.nonFiniteLabel(table, ex);
      case LABEL_NEGATIVE -> DataErrors.labelNegative(table, ex, rules.numClasses());
      case LABEL_NOT_INTEGRAL -> DataErrors.labelNotIntegral(table, ex);
      case LABEL_TOO_LARGE -> DataErrors.labelTooLarge(table, ex, rules.numClasses());
    };
  }
}
