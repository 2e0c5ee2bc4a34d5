package io.lather.spark.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.optimizer.config.OptimizerConfigParser;
import io.lather.optimizer.config.Presets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** conf/README.md documents every key the code accepts (the error messages send users there). */
class ConfigDocsTest {
    @Test
    void everyKeyAndPresetIsDocumented() throws IOException {
        // surefire runs in the module directory
        String doc = Files.readString(Path.of("..", "conf", "README.md"));
        List<String> missing = new ArrayList<>();
        JobConfig.describeKeys().forEach(k -> {
            if (!doc.contains("`" + k.name() + "`")) {
                missing.add(k.name());
            }
        });
        OptimizerConfigParser.keys().forEach(k -> {
            if (!doc.contains("`" + k.name() + "`")) {
                missing.add(k.name());
            }
        });
        Presets.NAMES.forEach(p -> {
            if (!doc.contains("`" + p + "`")) {
                missing.add("preset " + p);
            }
        });
        assertTrue(missing.isEmpty(), "conf/README.md does not document " + missing);
    }
}
