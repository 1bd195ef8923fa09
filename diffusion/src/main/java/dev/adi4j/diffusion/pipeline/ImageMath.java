package dev.adi4j.diffusion.pipeline;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Conversions between the VAE's [-1, 1] image range and [0, 1]. */
public final class ImageMath {
    private ImageMath() {
    }

    /** clamp(x / 2 + 0.5, 0, 1), as diffusers' image post-processing. */
    public static INDArray toUnitRange(INDArray decoded) {
        return Transforms.min(Transforms.max(decoded.div(2.0).addi(0.5), 0.0), 1.0);
    }
}
