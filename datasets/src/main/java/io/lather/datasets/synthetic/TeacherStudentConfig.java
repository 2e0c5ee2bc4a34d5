package io.lather.datasets.synthetic;

import io.lather.datasets.DataErrors;
import io.lather.datasets.LatherTableProperties;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A teacher–student problem: a random "teacher" MLP labels Gaussian inputs; a student trained on the
 * table can reach the teacher's function exactly, so the optimum is known.
 *
 * @param inputDim length of the input (feature) vector, ≥ 1
 * @param hidden the teacher's hidden layer widths (may be empty: a linear teacher), each ≥ 1
 * @param activation the hidden layers' activation
 * @param outputs teacher outputs: regression targets, or classes (≥ 2) for classification
 * @param task regression (targets = outputs + noise) or classification (label = argmax)
 * @param noise standard deviation of Gaussian noise added to the outputs (to the logits before the
 *     argmax for classification), ≥ 0
 * @param seed the seed; the teacher and every row follow from it
 */
public record TeacherStudentConfig(int inputDim, List<Integer> hidden, Activation activation,
    int outputs, Task task, double noise, long seed) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Hidden-layer activation. */
  public enum Activation {
    /** tanh; weights N(0, 1/fan_in). */
    TANH,
    /** max(0, x); weights N(0, 2/fan_in) (He), which keeps activations O(1) through depth. */
    RELU;

    /** @return the name used in properties and the CLI ({@code tanh}, {@code relu}) */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id {@code tanh} or {@code relu}, case-insensitive
     * @return the activation
     */
    public static Activation parse(String id) {
      for (Activation a : values()) {
        if (a.id().equalsIgnoreCase(id)) {
          return a;
        }
      }
      throw DataErrors.invalidConfig("activation", id, "one of tanh, relu");
    }
  }

  /** What the table asks the student to learn. */
  public enum Task {
    /** {@code target} = teacher outputs + noise; {@code label} = target[0]. */
    REGRESSION,
    /** {@code label} = argmax of teacher logits (+ noise); no target column. */
    CLASSIFICATION;

    /** @return the name used in properties and the CLI */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id {@code regression} or {@code classification}, case-insensitive
     * @return the task
     */
    public static Task parse(String id) {
      for (Task t : values()) {
        if (t.id().equalsIgnoreCase(id)) {
          return t;
        }
      }
      throw DataErrors.invalidConfig("task", id, "one of regression, classification");
    }
  }

  /** Validates every component. */
  public TeacherStudentConfig {
    hidden = List.copyOf(hidden);
    if (inputDim < 1) {
      throw DataErrors.invalidConfig("inputDim", inputDim, ">= 1");
    }
    for (int h : hidden) {
      if (h < 1) {
        throw DataErrors.invalidConfig("hidden", hidden, "a list of widths >= 1");
      }
    }
    if (activation == null || task == null) {
      throw DataErrors.invalidConfig(activation == null ? "activation" : "task", null, "set");
    }
    if (outputs < (task == Task.CLASSIFICATION ? 2 : 1)) {
      throw DataErrors.invalidConfig("outputs", outputs,
          task == Task.CLASSIFICATION ? ">= 2 (classes)" : ">= 1");
    }
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw DataErrors.invalidConfig("noise", noise, "finite and >= 0");
    }
  }

  /** Property keys under which the configuration is stored in the table. */
  static final String KIND = "lather.synthetic.kind";

  /** @return the {@code lather.synthetic.*} properties that reproduce this configuration */
  public Map<String, String> toProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(KIND, "teacher-student-mlp");
    m.put("lather.synthetic.input_dim", String.valueOf(inputDim));
    m.put("lather.synthetic.hidden", join(hidden));
    m.put("lather.synthetic.activation", activation.id());
    m.put("lather.synthetic.outputs", String.valueOf(outputs));
    m.put("lather.synthetic.task", task.id());
    m.put("lather.synthetic.noise", String.valueOf(noise));
    m.put("lather.synthetic.seed", String.valueOf(seed));
    return m;
  }

  /**
   * Rebuilds the configuration of a table written by {@link TeacherStudent}, e.g. to recompute the
   * teacher for an optimality check.
   *
   * @param properties the table's properties
   * @return the configuration
   */
  public static TeacherStudentConfig fromProperties(LatherTableProperties properties) {
    Map<String, String> x = properties.extra();
    if (!"teacher-student-mlp".equals(x.get(KIND))) {
      throw DataErrors.invalidConfig(KIND, x.get(KIND), "teacher-student-mlp for this table");
    }
    List<Integer> hidden = new ArrayList<>();
    String h = x.get("lather.synthetic.hidden");
    if (!h.isEmpty()) {
      for (String part : h.split(",")) {
        hidden.add(Integer.parseInt(part));
      }
    }
    return new TeacherStudentConfig(Integer.parseInt(x.get("lather.synthetic.input_dim")), hidden,
        Activation.parse(x.get("lather.synthetic.activation")),
        Integer.parseInt(x.get("lather.synthetic.outputs")),
        Task.parse(x.get("lather.synthetic.task")),
        Double.parseDouble(x.get("lather.synthetic.noise")),
        Long.parseLong(x.get("lather.synthetic.seed")));
  }

  /** @return a one-line description with every parameter (the table's {@code lather.source}) */
  public String describe() {
    return "synthetic teacher-student MLP: input " + inputDim + ", hidden " + hidden + ", "
        + activation.id() + ", " + outputs + " outputs, " + task.id() + ", noise " + noise
        + ", seed " + seed;
  }

  private static String join(List<Integer> values) {
    StringBuilder sb = new StringBuilder();
    for (int v : values) {
      sb.append(sb.length() == 0 ? "" : ",").append(v);
    }
    return sb.toString();
  }
}
