package dev.adi4j.diffusion.scheduler;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Element-wise affine combinations of latents with scalar coefficients; inputs are never modified. */
final class LatentMath {
    private LatentMath() {
    }

    /** a·x + b·y. */
    static INDArray lin(double a, INDArray x, double b, INDArray y) {
        return x.mul(a).addi(y.mul(b));
    }

    /** a·x + b·y + c·z. */
    static INDArray lin(double a, INDArray x, double b, INDArray y, double c, INDArray z) {
        return x.mul(a).addi(y.mul(b)).addi(z.mul(c));
    }

    static void requireSameShape(INDArray modelOutput, INDArray sample) {
        if (!java.util.Arrays.equals(modelOutput.shape(), sample.shape())) {
            throw new SchedulerException("model output shape " + java.util.Arrays.toString(modelOutput.shape())
                    + " differs from sample shape " + java.util.Arrays.toString(sample.shape()));
        }
    }

    static NoiseSource requireNoise(NoiseSource rng, String who) {
        if (rng == null) {
            throw new SchedulerException(who + " is stochastic here and needs a NoiseSource (got null)");
        }
        return rng;
    }
}
