package dev.adi4j.diffusion.vae;

import dev.adi4j.core.config.ConfigException;
import dev.adi4j.core.model.ModelFolderException;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.diffusion.nn.WeightsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AutoencoderKL behaviour beyond the goldens: graph cache, batching, latent scaling, input and load errors. */
class AutoencoderKLTest {
    private static AutoencoderKL vae;
    private static INDArray latent;
    private static INDArray latentScaled;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        vae = AutoencoderKL.load(VaeFixtures.tinyVae());
        try (SafetensorsReader g = SafetensorsReader.open(VaeFixtures.golden("vae_decode.safetensors"))) {
            latent = g.loadFloat("latent");
            latentScaled = g.loadFloat("latent_scaled");
        }
    }

    @Test
    void oneGraphPerShapeIsBuiltOnceAndReused() {
        int before = vae.builtGraphs();
        INDArray first = vae.decode(latent);
        int afterFirst = vae.builtGraphs();
        INDArray again = vae.decode(latent.dup());
        assertEquals(afterFirst, vae.builtGraphs(), "same shape must reuse the graph");
        assertTrue(afterFirst <= before + 1);
        assertEquals(first, again);
        vae.decode(Nd4j.zeros(DataType.FLOAT, 1, 4, 8, 12));
        assertEquals(afterFirst + 1, vae.builtGraphs(), "a new shape builds one more graph");
        assertEquals(first, vae.decode(latent), "building another shape must not change earlier results");
    }

    @Test
    void batchRowsEqualSingleDecodes() {
        INDArray other = latent.mul(-0.5).add(0.1);
        INDArray batch = Nd4j.concat(0, latent, other);
        INDArray both = vae.decode(batch);
        assertArrayEquals(new long[]{2, 3, 64, 64}, both.shape());
        assertClose(vae.decode(latent), row(both, 0));
        assertClose(vae.decode(other), row(both, 1));
    }

    @Test
    void latentScalingUsesTheConfiguredFactor() {
        assertEquals(0.18215, vae.config().scalingFactor(), 0.0);
        assertClose(latent, vae.unscaleLatent(latentScaled));
        assertClose(latentScaled, vae.scaleLatent(vae.unscaleLatent(latentScaled)));
    }

    @Test
    void logvarIsClampedAndSamplingIsMeanPlusStdEps() {
        INDArray moments = Nd4j.createFromArray(new float[]{1f, 2f, 100f, -100f}).reshape(1, 2, 1, 2);
        DiagonalGaussian d = DiagonalGaussian.fromMoments(moments);
        assertEquals(Nd4j.createFromArray(new float[]{1f, 2f}).reshape(1, 1, 1, 2), d.mean());
        assertEquals(Nd4j.createFromArray(new float[]{20f, -30f}).reshape(1, 1, 1, 2), d.logvar());
        INDArray eps = Nd4j.createFromArray(new float[]{0.5f, 2f}).reshape(1, 1, 1, 2);
        INDArray s = AutoencoderKL.sample(d.mean(), d.logvar(), eps);
        assertEquals(1 + Math.exp(10) * 0.5, s.getDouble(0), 1e-2);
        assertEquals(2 + Math.exp(-15) * 2, s.getDouble(1), 1e-6);
    }

    @Test
    void wrongInputShapesAreRejectedClearly() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> vae.decode(Nd4j.zeros(DataType.FLOAT, 1, 3, 8, 8)));
        assertTrue(e1.getMessage().contains("[B, 4, H, W]") && e1.getMessage().contains("[1, 3, 8, 8]"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> vae.encode(Nd4j.zeros(DataType.FLOAT, 3, 64, 64)));
        assertTrue(e2.getMessage().contains("image must be [B, 3, H, W]"), e2.getMessage());
    }

    @Test
    void missingFolderConfigOrWeightsAreNamed() throws IOException {
        Path nowhere = tmp.resolve("nowhere");
        var e1 = assertThrows(ConfigException.class, () -> AutoencoderKL.load(nowhere));
        assertTrue(e1.getMessage().contains(nowhere.toString()) && e1.getMessage().contains("not found"), e1.getMessage());

        var e2 = assertThrows(ConfigException.class, () -> AutoencoderKL.load(tmp));
        assertTrue(e2.getMessage().contains(tmp.resolve("config.json").toString()), e2.getMessage());

        Files.copy(VaeFixtures.tinyVae().resolve("config.json"), tmp.resolve("config.json"));
        var e3 = assertThrows(ModelFolderException.class, () -> AutoencoderKL.load(tmp));
        assertTrue(e3.getMessage().startsWith(tmp + ": ")
                && e3.getMessage().contains("diffusion_pytorch_model.safetensors"), e3.getMessage());
    }

    @Test
    void unsupportedConfigNamesTheField() throws IOException {
        String config = Files.readString(VaeFixtures.tinyVae().resolve("config.json"))
                .replaceFirst("\"DownEncoderBlock2D\"", "\"AttnDownEncoderBlock2D\"");
        Files.writeString(tmp.resolve("config.json"), config);
        var e = assertThrows(ConfigException.class, () -> AutoencoderKL.load(tmp));
        assertTrue(e.getMessage().contains("down_block_types") && e.getMessage().contains("AttnDownEncoderBlock2D"), e.getMessage());
    }

    private static INDArray row(INDArray a, long i) {
        return a.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-3);
        double err = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(err <= 1e-5 * scale, "max abs diff " + err + " vs scale " + scale);
    }
}
