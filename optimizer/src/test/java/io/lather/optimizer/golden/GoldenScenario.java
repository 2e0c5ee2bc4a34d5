package io.lather.optimizer.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One golden trajectory file (format: ../shared/golden/README.md §2), read without knowing scenario ids,
 * problem ids or shapes in advance.
 */
public final class GoldenScenario {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Path file;
    public final JsonNode root;
    public final String id;
    public final String group;
    public final boolean degenerate;
    public final List<String> parameterNames = new ArrayList<>();

    private GoldenScenario(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
        JsonNode sc = root.get("scenario");
        this.id = sc.get("id").asText();
        this.group = sc.get("group").asText();
        this.degenerate = sc.path("degenerate").asBoolean(false);
        for (JsonNode p : root.get("problem").get("parameters")) {
            parameterNames.add(p.get("name").asText());
        }
    }

    /** The folder from {@code -Dlather.golden.dir} (set by the build), or ../shared/golden/visible. */
    public static Path folder() {
        String dir = System.getProperty("lather.golden.dir");
        return Path.of(dir != null ? dir : "../shared/golden/visible").toAbsolutePath().normalize();
    }

    /**
     * Every scenario file (a JSON object with {@code scenario} and {@code trajectory}) directly in the folder, sorted by name.
     * A missing folder or a folder without scenarios is an error, so a wrong path cannot pass silently.
     */
    public static List<GoldenScenario> loadAll(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("golden folder " + folder + " does not exist; set -Dlather.golden.dir=<folder of scenario files>");
        }
        List<GoldenScenario> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.naturalOrder()).toList()) {
                JsonNode root = JSON.readTree(f.toFile());
                if (root.isObject() && root.has("scenario") && root.has("trajectory")) {
                    out.add(new GoldenScenario(f, root));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("golden folder " + folder + " holds no scenario files (*.json with 'scenario' and 'trajectory')");
        }
        return out;
    }

    /** A float64 ND4J array from a tensor object {shape, dtype, data}; numbers parse to the identical double. */
    public static INDArray tensor(JsonNode t) {
        JsonNode shapeNode = t.get("shape");
        long[] shape = new long[shapeNode.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            n *= shape[i];
        }
        double[] flat = new double[Math.toIntExact(n)];
        int[] pos = {0};
        flatten(t.get("data"), flat, pos);
        if (pos[0] != n) {
            throw new IllegalStateException("tensor data has " + pos[0] + " numbers, shape says " + n);
        }
        INDArray a = Nd4j.createFromArray(flat);
        return shape.length == 0 ? a.reshape(new long[0]) : a.reshape(shape);
    }

    private static void flatten(JsonNode node, double[] out, int[] pos) {
        if (node.isArray()) {
            for (JsonNode c : node) {
                flatten(c, out, pos);
            }
        } else if (node.isTextual()) {
            out[pos[0]++] = Double.parseDouble(node.asText()); // "NaN", "Infinity", "-Infinity"
        } else {
            out[pos[0]++] = Double.parseDouble(node.asText());
        }
    }

    /** Named tensors of a JSON object {name: tensor}, in parameter order. */
    public Map<String, INDArray> tensors(JsonNode obj) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : parameterNames) {
            out.put(name, tensor(obj.get(name)));
        }
        return out;
    }

    public Map<String, INDArray> initialParameters() {
        return tensors(root.get("problem").get("initial_params"));
    }

    public int steps() {
        return root.get("trajectory").size();
    }

    public JsonNode step(int t) {
        return root.get("trajectory").get(t - 1);
    }
}
