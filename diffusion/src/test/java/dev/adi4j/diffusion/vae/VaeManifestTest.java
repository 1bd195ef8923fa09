package dev.adi4j.diffusion.vae;

import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.nn.ShapeOnlyParameters;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The full-size SD 2.1 VAE, built with shape-only parameters (nothing allocated): its declared parameters must
 * be exactly the diffusers manifest, and full-size forward graphs must build with the right static shapes.
 */
class VaeManifestTest {
    @Test
    void sd21VaeDeclaresExactlyTheDiffusersParameters() throws IOException {
        Path manifests = VaeFixtures.fixtures().resolve("manifests");
        VaeConfig config = Configs.read(manifests.resolve("sd21-vae-config.json"), VaeConfig.class);
        ShapeOnlyParameters params = new ShapeOnlyParameters();
        AutoencoderKL vae = AutoencoderKL.build(config, params);

        Map<String, String> expected = readManifest(manifests.resolve("sd21-vae-diffusers.tsv"));
        Map<String, String> declared = new TreeMap<>();
        long total = 0;
        for (ParamSpec p : params.declared()) {
            declared.put(p.name(), Arrays.toString(p.shape()).replace(" ", ""));
            total += p.numel();
        }
        assertEquals(248, expected.size(), "manifest size");
        assertEquals(expected, declared);
        assertEquals(248, params.declared().size(), "no parameter declared twice");
        assertEquals(83_653_863L, total);

        // 768x768 image -> 96x96 latent and back, shapes tracked statically without any weight
        AutoencoderKL.EncodeGraph enc = vae.prepareEncode(new long[]{1, 3, 768, 768});
        assertArrayEquals(new long[]{1, 8, 96, 96}, enc.moments().shape());
        AutoencoderKL.DecodeGraph dec = vae.prepareDecode(new long[]{1, 4, 96, 96});
        assertArrayEquals(new long[]{1, 3, 768, 768}, dec.image().shape());
        assertEquals(8, vae.downscaleFactor());
        assertEquals(0.18215, vae.config().scalingFactor(), 0.0, "SD 2.1 default scaling factor");
    }

    private static Map<String, String> readManifest(Path tsv) throws IOException {
        Map<String, String> m = new TreeMap<>();
        List<String> lines = Files.readAllLines(tsv);
        assertEquals("key\tshape\tdtype", lines.get(0), "manifest header");
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            m.put(f[0], f[1]);
        }
        return m;
    }
}
