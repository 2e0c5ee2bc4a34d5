package io.lather.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The metadata of a Lather training table, stored as Delta table properties ({@code lather.*} keys).
 *
 * <p>The properties are written in the same Delta commit as the data, so a reader never sees data without
 * them. See {@code docs/DATA_FORMAT.md} for the full list with examples.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}: version of the Lather table format; currently
 *     {@value #CURRENT_SCHEMA_VERSION}
 * @param numFeatures {@value #NUM_FEATURES}: length of every {@code features} array (&gt; 0)
 * @param numClasses {@value #NUM_CLASSES}: number of classes K for classification (labels are 0..K-1),
 *     or 0 for regression
 * @param numRows {@value #NUM_ROWS}: number of rows written; a reader detects later edits with it
 * @param source {@value #SOURCE}: free text saying where the data came from, including every option
 *     that changes the content (limit, seed, ...); the loaders' idempotency check compares it
 * @param imageShape {@value #IMAGE_SHAPE}: {@code channels,height,width} for image tables (features
 *     are the pixels in that C order), empty otherwise
 * @param numTargets {@value #NUM_TARGETS}: length of the optional {@code target} array, 0 when the
 *     table has no {@code target} column
 * @param labelNames {@value #LABEL_NAMES}: entry k is the name (or original value, for indexed
 *     labels) of class k; empty when not recorded
 * @param splits {@value #SPLITS}: the split names present, sorted
 * @param extra every other {@code lather.*} property (e.g. a generator's parameters), key to value
 */
public record LatherTableProperties(
    int schemaVersion,
    int numFeatures,
    int numClasses,
    long numRows,
    String source,
    List<Integer> imageShape,
    int numTargets,
    List<String> labelNames,
    List<String> splits,
    Map<String, String> extra) {

  /** The format version this code writes and reads. */
  public static final int CURRENT_SCHEMA_VERSION = 1;

  /** Property key: format version. */
  public static final String SCHEMA_VERSION = "lather.schema.version";
  /** Property key: feature vector length. */
  public static final String NUM_FEATURES = "lather.num_features";
  /** Property key: number of classes, 0 for regression. */
  public static final String NUM_CLASSES = "lather.num_classes";
  /** Property key: number of rows written. */
  public static final String NUM_ROWS = "lather.num_rows";
  /** Property key: where the data came from. */
  public static final String SOURCE = "lather.source";
  /** Property key: image shape {@code C,H,W}. */
  public static final String IMAGE_SHAPE = "lather.image.shape";
  /** Property key: length of the {@code target} array. */
  public static final String NUM_TARGETS = "lather.num_targets";
  /** Property key: JSON array of class names. */
  public static final String LABEL_NAMES = "lather.label.names";
  /** Property key: comma-separated split names. */
  public static final String SPLITS = "lather.splits";
  /** Prefix of every Lather property. */
  public static final String PREFIX = "lather.";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validates the components; lists are copied and made unmodifiable. */
  public LatherTableProperties {
    Objects.requireNonNull(source, "source");
    if (numFeatures <= 0) {
      throw DataErrors.invalidConfig(NUM_FEATURES, numFeatures, "> 0");
    }
    if (numClasses < 0) {
      throw DataErrors.invalidConfig(NUM_CLASSES, numClasses, ">= 0 (0 means regression)");
    }
    if (numTargets < 0) {
      throw DataErrors.invalidConfig(NUM_TARGETS, numTargets, ">= 0");
    }
    imageShape = List.copyOf(imageShape);
    labelNames = List.copyOf(labelNames);
    splits = List.copyOf(splits);
    extra = Collections.unmodifiableMap(new TreeMap<>(extra));
    if (!imageShape.isEmpty()) {
      long product = 1;
      for (int d : imageShape) {
        product *= d;
      }
      if (product != numFeatures) {
        throw DataErrors.invalidConfig(IMAGE_SHAPE, imageShape,
            "a shape whose product equals num_features = " + numFeatures);
      }
    }
  }

  /** @return true when {@link #numClasses()} &gt; 0, i.e. labels are class indices */
  public boolean isClassification() {
    return numClasses > 0;
  }

  /** @return all properties as Delta table property key/values, in a stable order */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(SCHEMA_VERSION, String.valueOf(schemaVersion));
    m.put(NUM_FEATURES, String.valueOf(numFeatures));
    m.put(NUM_CLASSES, String.valueOf(numClasses));
    m.put(NUM_ROWS, String.valueOf(numRows));
    m.put(SOURCE, source);
    if (!imageShape.isEmpty()) {
      m.put(IMAGE_SHAPE, joinInts(imageShape));
    }
    m.put(NUM_TARGETS, String.valueOf(numTargets));
    if (!labelNames.isEmpty()) {
      try {
        m.put(LABEL_NAMES, JSON.writeValueAsString(labelNames));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot encode label names", e);
      }
    }
    m.put(SPLITS, String.join(",", splits));
    m.putAll(extra);
    return m;
  }

  /**
   * Parses the properties of the Delta table at {@code path}, strictly.
   *
   * @param path the table location, for error messages
   * @param properties the Delta table properties (other keys than {@code lather.*} are ignored)
   * @return the parsed properties
   * @throws LatherDataException ({@code NOT_A_LATHER_TABLE}, {@code UNSUPPORTED_SCHEMA_VERSION},
   *     {@code BAD_PROPERTY}) when a required key is missing or a value cannot be parsed
   */
  public static LatherTableProperties fromMap(String path, Map<String, String> properties) {
    String version = require(path, properties, SCHEMA_VERSION);
    if (!version.equals(String.valueOf(CURRENT_SCHEMA_VERSION))) {
      throw DataErrors.unsupportedSchemaVersion(path, version);
    }
    int numFeatures = parseInt(path, NUM_FEATURES, require(path, properties, NUM_FEATURES));
    int numClasses = parseInt(path, NUM_CLASSES, require(path, properties, NUM_CLASSES));
    long numRows = parseLong(path, NUM_ROWS, require(path, properties, NUM_ROWS));
    String source = require(path, properties, SOURCE);
    List<Integer> shape = new ArrayList<>();
    String shapeText = properties.get(IMAGE_SHAPE);
    if (shapeText != null && !shapeText.isBlank()) {
      for (String part : shapeText.split(",")) {
        shape.add(parseInt(path, IMAGE_SHAPE, part.trim()));
      }
    }
    int numTargets = parseInt(path, NUM_TARGETS, properties.getOrDefault(NUM_TARGETS, "0"));
    List<String> names = List.of();
    String namesText = properties.get(LABEL_NAMES);
    if (namesText != null) {
      try {
        names = JSON.readValue(namesText, new TypeReference<List<String>>() {});
      } catch (JsonProcessingException e) {
        throw DataErrors.badProperty(path, LABEL_NAMES, namesText, "a JSON array of strings");
      }
    }
    String splitsText = properties.getOrDefault(SPLITS, "");
    List<String> splits = splitsText.isEmpty() ? List.of() : List.of(splitsText.split(","));
    Map<String, String> extra = new TreeMap<>();
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (e.getKey().startsWith(PREFIX) && !KNOWN_KEYS.contains(e.getKey())) {
        extra.put(e.getKey(), e.getValue());
      }
    }
    try {
      return new LatherTableProperties(CURRENT_SCHEMA_VERSION, numFeatures, numClasses, numRows,
          source, shape, numTargets, names, splits, extra);
    } catch (LatherDataException e) {
      throw DataErrors.badProperty(path, "lather.*", properties.toString(),
          "consistent values (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  private static final List<String> KNOWN_KEYS = List.of(SCHEMA_VERSION, NUM_FEATURES,
      NUM_CLASSES, NUM_ROWS, SOURCE, IMAGE_SHAPE, NUM_TARGETS, LABEL_NAMES, SPLITS);

  private static String require(String path, Map<String, String> props, String key) {
    String v = props.get(key);
    if (v == null) {
      throw DataErrors.notLatherTable(path, key);
    }
    return v;
  }

  private static int parseInt(String path, String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw DataErrors.badProperty(path, key, value, "an integer");
    }
  }

  private static long parseLong(String path, String key, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw DataErrors.badProperty(path, key, value, "an integer");
    }
  }

  private static String joinInts(List<Integer> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(values.get(i));
    }
    return sb.toString();
  }
}
