package io.lather.notebooks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code z} that the harness binds in place of Zeppelin's {@code SparkZeppelinContext}. It mimics only what the
 * notes use, with the same names and argument lists:
 * <ul>
 *   <li>{@code z.textbox(name)}, {@code z.textbox(name, default)}: a text form; returns the CI answer for the form
 *       (Zeppelin returns the value typed in the form, or the default). A form without a CI answer is an error, so
 *       that a note cannot silently run on full data in CI;</li>
 *   <li>{@code z.select(name, options)}, {@code z.select(name, default, options)}: a drop-down, answered the same
 *       way (the CI answer must be one of the option values' text);</li>
 *   <li>{@code z.show(dataFrame)}: prints the first {@value #MAX_RESULT} rows as Zeppelin's {@code %table} text
 *       (tab-separated, header first). Stricter than Zeppelin: showing an empty table is an error, because a chart of
 *       nothing means the note computed nothing;</li>
 *   <li>{@code z.put(name, value)}, {@code z.get(name)}: the resource pool, here a map.</li>
 * </ul>
 * Not emulated: angular objects, note-level forms ({@code z.noteTextbox}), {@code z.run}, checkbox forms, display of
 * non-DataFrame objects by {@code z.show}.
 */
public final class StandInZeppelinContext {
    /** Zeppelin's default {@code zeppelin.spark.maxResult}. */
    public static final int MAX_RESULT = 1000;

    private final Map<String, String> answers;
    private final Map<String, Object> resources = new LinkedHashMap<>();
    private final List<String> formsAsked = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();
    private PrintStream out;

    /**
     * @param answers the value to return for each form name
     * @param out where {@code %table} output goes (the current paragraph's output)
     */
    StandInZeppelinContext(Map<String, String> answers, PrintStream out) {
        this.answers = Map.copyOf(answers);
        this.out = out;
    }

    void setOut(PrintStream out) {
        this.out = out;
    }

    /** Form names asked so far, in order. */
    List<String> formsAsked() {
        return List.copyOf(formsAsked);
    }

    /** The {@code %table} texts shown so far. */
    List<String> tables() {
        return List.copyOf(tables);
    }

    private String answer(String name, String kind) {
        formsAsked.add(name);
        String v = answers.get(name);
        if (v == null) {
            throw new IllegalStateException("the note asks for " + kind + " form '" + name + "' but the CI harness has no "
                    + "small-data value for it (it knows " + answers.keySet() + "); add one to NotebooksTest.CI_FORMS");
        }
        return v;
    }

    /**
     * A text form with an empty default.
     *
     * @param name the form name
     * @return the CI answer
     */
    public Object textbox(String name) {
        return textbox(name, "");
    }

    /**
     * A text form.
     *
     * @param name the form name
     * @param defaultValue what Zeppelin shows before the user types (not used in CI)
     * @return the CI answer
     */
    public Object textbox(String name, String defaultValue) {
        return answer(name, "textbox");
    }

    /**
     * A drop-down form (Scala API of {@code SparkZeppelinContext}).
     *
     * @param name the form name
     * @param options (value, display name) pairs
     * @return the option value whose text is the CI answer
     */
    public Object select(String name, scala.collection.Iterable<scala.Tuple2<Object, String>> options) {
        return select(name, null, options);
    }

    /**
     * A drop-down form with a default (Scala API of {@code SparkZeppelinContext}).
     *
     * @param name the form name
     * @param defaultValue the value Zeppelin selects initially (not used in CI)
     * @param options (value, display name) pairs
     * @return the option value whose text is the CI answer
     */
    public Object select(String name, Object defaultValue, scala.collection.Iterable<scala.Tuple2<Object, String>> options) {
        String a = answer(name, "select");
        List<String> values = new ArrayList<>();
        scala.collection.Iterator<scala.Tuple2<Object, String>> it = options.iterator();
        while (it.hasNext()) {
            Object v = it.next()._1();
            values.add(String.valueOf(v));
            if (String.valueOf(v).equals(a)) {
                return v;
            }
        }
        throw new IllegalStateException("CI answer '" + a + "' for select form '" + name + "' is not one of " + values);
    }

    /**
     * Shows a DataFrame as a table.
     *
     * @param o a {@code Dataset}
     */
    public void show(Object o) {
        if (!(o instanceof Dataset)) {
            throw new IllegalArgumentException("the CI stand-in for z.show displays DataFrames only, got "
                    + (o == null ? "null" : o.getClass().getName()));
        }
        Dataset<?> df = (Dataset<?>) o;
        String[] columns = df.columns();
        List<Row> rows = df.toDF().takeAsList(MAX_RESULT + 1);
        if (rows.isEmpty()) {
            throw new IllegalStateException("z.show displayed an empty table (columns " + String.join(", ", columns)
                    + "): the paragraph computed nothing to show");
        }
        StringBuilder sb = new StringBuilder("%table ");
        sb.append(String.join("\t", columns)).append('\n');
        for (Row r : rows.subList(0, Math.min(rows.size(), MAX_RESULT))) {
            StringJoiner j = new StringJoiner("\t");
            for (int i = 0; i < r.length(); i++) {
                j.add(r.isNullAt(i) ? "null" : String.valueOf(r.get(i)));
            }
            sb.append(j).append('\n');
        }
        if (rows.size() > MAX_RESULT) {
            sb.append("\n%html <font color=red>Results are limited by ").append(MAX_RESULT).append(".</font>\n");
        }
        tables.add(sb.toString());
        out.print(sb);
        out.flush();
    }

    /**
     * Puts an object into the resource pool.
     *
     * @param name the name
     * @param value the object
     */
    public void put(String name, Object value) {
        resources.put(name, value);
    }

    /**
     * An object from the resource pool.
     *
     * @param name the name
     * @return the object, or null
     */
    public Object get(String name) {
        return resources.get(name);
    }
}
