package dev.adi4j.adi.baseline;

import dev.adi4j.diffusion.scheduler.NoiseSource;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Where a Custom Diffusion step's time goes on tiny-sd at 16x16 (run explicitly: -Dtest=CustomDiffusionStepBench). */
class CustomDiffusionStepBench {
    @Test
    void stepParts() throws Exception {
        try (UNet unet = TinySd.trainableUNet()) {
            ClipTextEncoder text = TinySd.text();
            INDArray x = NoiseSource.gaussian(1).next(new long[]{1, 4, 16, 16});
            INDArray target = NoiseSource.gaussian(2).next(new long[]{1, 4, 16, 16});
            INDArray t = Nd4j.createFromArray(500f);
            INDArray ctx = text.encode(new int[][]{TinySd.tokenizer().encode("a photo of a person")});
            for (boolean ckpt : new boolean[]{true, false}) {
                unet.gradientCheckpointing(ckpt);
                for (int i = 0; i < 6; i++) {
                    long t0 = System.nanoTime();
                    unet.weightGradients(x, t, ctx, target);
                    long t1 = System.nanoTime();
                    unet.lossGradients(x, t, List.of(ctx), target, false);
                    long t2 = System.nanoTime();
                    unet.forward(x, t, ctx);
                    long t3 = System.nanoTime();
                    System.out.printf("checkpointing %s: weightGradients %.3f s, lossGradients %.3f s, forward %.3f s%n",
                            ckpt, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
                }
            }
        }
    }
}
