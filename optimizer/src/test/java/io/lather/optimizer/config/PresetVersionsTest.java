package io.lather.optimizer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nvidia-soap preset is legacy with F = 10 and 10 warm-up steps; switching it to HEAD drops those two fields. */
class PresetVersionsTest {
    @Test
    void nvidiaSoapPresetAndHeadSwitch() {
        NvidiaSoapConfig legacy = (NvidiaSoapConfig) OptimizerConfigParser.parse(Map.of("optimizer", "nvidia-soap"));
        assertEquals(NvidiaSoapConfig.Version.LEGACY, legacy.version());
        assertEquals(10, legacy.preconditionFrequency());
        assertEquals(10, legacy.adamWarmupSteps());
        NvidiaSoapConfig head = (NvidiaSoapConfig) OptimizerConfigParser.parse(Map.of("optimizer", "nvidia-soap", "optimizer.soap.version", "head"));
        assertEquals(NvidiaSoapConfig.Version.HEAD, head.version());
        assertEquals(1, head.preconditionFrequency());
        assertEquals(0, head.adamWarmupSteps());
        assertEquals(legacy.lr(), head.lr());
        // explicitly asking HEAD for a legacy-only field is still an error naming it
        ConfigException e = assertThrows(ConfigException.class, () -> OptimizerConfigParser.parse(Map.of("optimizer", "nvidia-soap",
                "optimizer.soap.version", "head", "optimizer.soap.precondition_frequency", "5")));
        assertEquals(true, e.getMessage().contains("precondition_frequency"), e.getMessage());
    }
}
