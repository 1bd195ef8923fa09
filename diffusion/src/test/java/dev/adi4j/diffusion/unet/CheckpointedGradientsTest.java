package dev.adi4j.diffusion.unet;

import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stage-by-stage (checkpointed) gradients equal the whole-graph gradients of the tiny SD UNet. */
class CheckpointedGradientsTest {
    static UNet checkpointed;
    static UNet whole;

    @BeforeAll
    static void load() {
        checkpointed = UNet.load(Shared.tinySd().resolve("unet")).gradientCheckpointing(true);
        whole = UNet.load(Shared.tinySd().resolve("unet")).gradientCheckpointing(false);
    }

    @AfterAll
    static void close() throws Exception {
        checkpointed.close();
        whole.close();
    }

    /**
     * keepBelow = positions under which a stage keeps its forward activations: 0 recomputes every stage, 256
     * keeps the stages below the first level at 16x16 (a mix of kept and recomputed), 1 << 20 keeps them all.
     */
    @ParameterizedTest(name = "{0}x{1}, layer-wise {2}, wrt sample {3}, keep below {4} positions")
    @CsvSource({"16, 16, true, false, 0", "16, 16, false, true, 0", "13, 10, true, true, 0",
            "16, 16, true, false, 256", "16, 16, false, true, 256", "13, 10, true, true, 1048576"})
    void sameGradientsAsTheWholeGraph(int height, int width, boolean layerWise, boolean wrtSample, long keepBelow) {
        checkpointed.keepActivationsBelowPositions(keepBelow);
        Nd4j.getRandom().setSeed(height * 31L + width);
        INDArray sample = Nd4j.randn(DataType.FLOAT, 1, 4, height, width);
        INDArray t = Nd4j.createFromArray(new float[]{321f});
        INDArray target = Nd4j.randn(DataType.FLOAT, 1, 4, height, width);
        int n = layerWise ? whole.crossAttentionLayers() : 1;
        List<INDArray> contexts = new ArrayList<>();
        for (int k = 0; k < n; k++) contexts.add(Nd4j.randn(DataType.FLOAT, 1, 7, 32));

        UNet.LossGradients expected = whole.lossGradients(sample, t, contexts, target, wrtSample);
        UNet.LossGradients actual = checkpointed.lossGradients(sample, t, contexts, target, wrtSample);
        int kept = checkpointed.stagesKeptInLastPass();
        int stages = checkpointed.stageCount();
        if (keepBelow == 0) {
            assertEquals(0, kept);
        } else if (keepBelow == 256) {
            assertTrue(kept > 0 && kept < stages - 2, kept + " of " + stages + " stages kept");
        } else {
            assertTrue(kept >= stages - 2, kept + " of " + stages + " stages kept"); // the last one has no recompute
        }

        assertEquals(expected.loss(), actual.loss(), 1e-6 * Math.abs(expected.loss()));
        assertClose("output", expected.output(), actual.output());
        assertEquals(n, actual.contextGradients().size());
        for (int k = 0; k < n; k++) {
            assertClose("context gradient " + k, expected.contextGradients().get(k), actual.contextGradients().get(k));
        }
        if (wrtSample) {
            assertNotNull(actual.sampleGradient());
            assertClose("sample gradient", expected.sampleGradient(), actual.sampleGradient());
        } else {
            assertNull(actual.sampleGradient());
        }
    }

    /** Same float32 computations in a different grouping: agreement to 1e-5 of the gradient's scale. */
    private static void assertClose(String what, INDArray expected, INDArray actual) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()), what + ": shape");
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 0, what + ": all zero, the comparison would prove nothing");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * scale, what + ": max |diff| " + diff + " vs scale " + scale);
    }
}
