package dev.adi4j.diffusion.text;

import dev.adi4j.core.safetensors.SafetensorsWriter;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.config.ConfigException;
import dev.adi4j.core.model.ModelFolderException;
import dev.adi4j.diffusion.nn.WeightsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading errors: every weight problem at once, and clear messages for a bad folder or bad ids. */
class ClipTextWeightsTest {
    private static final String MISSING = "text_model.encoder.layers.1.mlp.fc2.bias";
    private static final String EXTRA = "text_model.encoder.layers.3.mlp.fc2.bias";
    private static final String WRONG = "text_model.encoder.layers.0.self_attn.q_proj.weight";

    @Test
    void reportsMissingExtraAndWronglyShapedKeysTogether(@TempDir Path dir) throws Exception {
        Path tiny = TextFixtures.tinyTextEncoder();
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(tiny.resolve(ClipTextEncoder.WEIGHTS_FILE))) {
            for (String name : r.names()) tensors.put(name, r.loadFloat(name));
        }
        assertTrue(tensors.containsKey(MISSING) && tensors.containsKey(WRONG) && !tensors.containsKey(EXTRA));
        tensors.remove(MISSING);
        tensors.put(EXTRA, Nd4j.ones(DataType.FLOAT, 32));
        tensors.put(WRONG, Nd4j.ones(DataType.FLOAT, 32, 31));
        Files.copy(tiny.resolve(ClipTextEncoder.CONFIG_FILE), dir.resolve(ClipTextEncoder.CONFIG_FILE));
        SafetensorsWriter writer = new SafetensorsWriter();
        tensors.forEach(writer::add);
        writer.write(dir.resolve(ClipTextEncoder.WEIGHTS_FILE));

        WeightsException e = assertThrows(WeightsException.class, () -> ClipTextEncoder.load(dir));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("missing: " + MISSING)), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("unexpected: " + EXTRA)), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("wrong shape: " + WRONG) && p.contains("[32, 31]")),
                e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void namesTheFolderAndFileThatIsMissing(@TempDir Path dir) throws Exception {
        Path absent = dir.resolve("nope");
        ModelFolderException noFolder = assertThrows(ModelFolderException.class, () -> ClipTextEncoder.load(absent));
        assertTrue(noFolder.getMessage().contains(absent.toString()), noFolder.getMessage());

        Files.copy(TextFixtures.tinyTextEncoder().resolve(ClipTextEncoder.CONFIG_FILE), dir.resolve(ClipTextEncoder.CONFIG_FILE));
        ModelFolderException noWeights = assertThrows(ModelFolderException.class, () -> ClipTextEncoder.load(dir));
        assertTrue(noWeights.getMessage().contains(dir.toString())
                && noWeights.getMessage().contains(ClipTextEncoder.WEIGHTS_FILE), noWeights.getMessage());
    }

    @Test
    void rejectsUnsupportedActivationNamingTheConfig(@TempDir Path dir) throws Exception {
        Path tiny = TextFixtures.tinyTextEncoder();
        String config = Files.readString(tiny.resolve(ClipTextEncoder.CONFIG_FILE)).replace("\"gelu\"", "\"relu\"");
        Files.writeString(dir.resolve(ClipTextEncoder.CONFIG_FILE), config);
        Files.copy(tiny.resolve(ClipTextEncoder.WEIGHTS_FILE), dir.resolve(ClipTextEncoder.WEIGHTS_FILE));
        ConfigException e = assertThrows(ConfigException.class, () -> ClipTextEncoder.load(dir));
        assertTrue(e.getMessage().contains("hidden_act") && e.getMessage().contains("relu")
                && e.getMessage().contains(ClipTextEncoder.CONFIG_FILE), e.getMessage());
    }
}
