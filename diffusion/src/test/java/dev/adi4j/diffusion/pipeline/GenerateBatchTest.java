package dev.adi4j.diffusion.pipeline;

import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several prompts in one batch give each prompt the images {@code generate} gives it (deterministic sampler). */
class GenerateBatchTest {
    @Test
    void batchedPromptsMatchOneByOneGeneration() throws Exception {
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Shared.root().resolve("fixtures/tiny-sd"))) {
            List<String> prompts = List.of("a photo of a cat", "a dog doing a handstand");
            INDArray batch = pipe.generateBatch(prompts, "blurry", 64, 64, 3, 4.0, "ddim", 11, 2, Identifiers.none());
            assertArrayEquals(new long[]{4, 3, 64, 64}, batch.shape());
            for (int p = 0; p < prompts.size(); p++) {
                INDArray single = pipe.generate(new GenerationRequest(prompts.get(p), "blurry", 64, 64, 3, 4.0, "ddim", 11, 2),
                        Identifiers.none(), StepListener.NONE);
                INDArray part = batch.get(NDArrayIndex.interval(2L * p, 2L * p + 2));
                double diff = part.sub(single).amaxNumber().doubleValue();
                assertTrue(diff < 1e-4, "prompt " + p + ": max difference " + diff);
            }
            INDArray first = batch.get(NDArrayIndex.interval(0, 1)), second = batch.get(NDArrayIndex.interval(1, 2));
            assertTrue(first.sub(second).amaxNumber().doubleValue() > 1e-2, "seeds differ within a prompt");
        }
    }
}
