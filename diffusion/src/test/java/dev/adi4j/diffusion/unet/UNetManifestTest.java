package dev.adi4j.diffusion.unet;

import dev.adi4j.testsupport.Shared;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.diffusion.nn.ParamSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The full-size SD 2.1 UNet graph declares exactly the parameters of the diffusers manifest. */
class UNetManifestTest {
    static final Path MANIFESTS = Shared.root().resolve("fixtures/manifests");

    @Test
    void sd21UNetParametersEqualManifest() throws IOException {
        UNetConfig config = Configs.read(MANIFESTS.resolve("sd21-unet-config.json"), UNetConfig.class);
        List<ParamSpec> declared = UNet.declaredParameters(config);
        Map<String, String> actual = new TreeMap<>();
        long total = 0;
        for (ParamSpec p : declared) {
            actual.put(p.name(), shape(p.shape()));
            total += p.numel();
        }
        Map<String, String> expected = readManifest(MANIFESTS.resolve("sd21-unet-diffusers.tsv"));
        assertEquals(declared.size(), actual.size(), "duplicate parameter names");
        assertEquals(expected, actual);
        assertEquals(686, actual.size());
        assertEquals(865_910_724L, total);
        assertEquals(16, UNet2DConditionModel.crossAttentionLayers(config));
    }

    static Map<String, String> readManifest(Path tsv) throws IOException {
        Map<String, String> m = new TreeMap<>();
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] cols = line.split("\t");
            m.put(cols[0], cols[1]);
        }
        return m;
    }

    static String shape(long[] s) {
        return Arrays.toString(s).replace(" ", "");
    }
}
