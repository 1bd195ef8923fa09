package dev.adi4j.diffusion.text;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.Configs;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.nn.ShapeOnlyParameters;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The full-size SD 2.1 text encoder, built without weights: its declared parameters must be exactly
 * transformers' CLIPTextModel state dict (manifest), apart from the position_ids buffer.
 */
class ClipTextFullSizeTest {

    @Test
    void declaresExactlyTheSd21StateDictWithoutAllocatingIt() throws Exception {
        Path manifests = TextFixtures.fixtures().resolve("manifests");
        ClipTextConfig cfg = Configs.read(manifests.resolve("sd21-text-encoder-config.json"), ClipTextConfig.class);
        ShapeOnlyParameters params = new ShapeOnlyParameters();
        ClipTextGraph graph = ClipTextGraph.build(cfg, params, 1, cfg.maxPositionEmbeddings());
        params.finish();

        Map<String, String> expected = new TreeMap<>();
        List<String> lines = Files.readAllLines(manifests.resolve("sd21-text-encoder-transformers.tsv"));
        assertEquals("key\tshape\tdtype", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            expected.put(f[0], f[1].replace(" ", "") + " " + f[2]);
        }

        Map<String, String> declared = new TreeMap<>();
        long total = 0;
        SameDiff sd = graph.net().sameDiff();
        for (ParamSpec p : params.declared()) {
            declared.put(p.name(), Arrays.toString(p.shape()).replace(" ", "") + " float32");
            total += p.numel();
            assertEquals(VariableType.PLACEHOLDER, sd.getVariable(p.name()).getVariableType(),
                    p.name() + " was allocated");
        }
        // The one non-parameter entry: a buffer the model never reads (positions are implicit 0..L-1).
        declared.put(ClipTextModel.POSITION_IDS, "[1," + cfg.maxPositionEmbeddings() + "] int64");

        assertEquals(expected, declared);
        assertEquals(373, declared.size());
        assertEquals(340_387_840L, total);
    }
}
