package dev.adi4j.diffusion.vae;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.diffusion.nn.WeightsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weights that do not fit: every missing, unexpected and wrongly shaped key is reported in one exception. */
class VaeWeightsErrorTest {
    @TempDir
    Path tmp;

    @Test
    void missingExtraAndWronglyShapedKeysAreAllListed() throws IOException {
        Map<String, INDArray> weights;
        try (SafetensorsReader r = SafetensorsReader.open(VaeFixtures.tinyVae().resolve(AutoencoderKL.WEIGHTS_FILE))) {
            weights = new java.util.HashMap<>(r.loadAllFloat());
        }
        assertTrue(weights.remove("encoder.mid_block.attentions.0.to_k.bias") != null);
        weights.put("decoder.up_blocks.0.resnets.9.conv1.bias", Nd4j.zeros(DataType.FLOAT, 64));
        weights.put("quant_conv.weight", Nd4j.zeros(DataType.FLOAT, 8, 8, 3, 3));
        Files.copy(VaeFixtures.tinyVae().resolve(AutoencoderKL.CONFIG_FILE), tmp.resolve(AutoencoderKL.CONFIG_FILE));
        SafetensorsWriter writer = new SafetensorsWriter();
        weights.forEach(writer::add);
        writer.write(tmp.resolve(AutoencoderKL.WEIGHTS_FILE));

        WeightsException e = assertThrows(WeightsException.class, () -> AutoencoderKL.load(tmp));
        List<String> p = e.problems();
        assertEquals(3, p.size(), e.getMessage());
        assertTrue(p.contains("missing: encoder.mid_block.attentions.0.to_k.bias (expected shape [64])"), e.getMessage());
        assertTrue(p.contains("unexpected: decoder.up_blocks.0.resnets.9.conv1.bias (not used by the network)"), e.getMessage());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("wrong shape: quant_conv.weight is [8, 8, 3, 3]")
                && s.endsWith("expected [8, 8, 1, 1]")), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve(AutoencoderKL.WEIGHTS_FILE).toString()), e.getMessage());
    }
}
