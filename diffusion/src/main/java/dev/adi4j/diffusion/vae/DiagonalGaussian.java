package dev.adi4j.diffusion.vae;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * diffusers {@code DiagonalGaussianDistribution}: the encoder's moments [B, 2L, h, w] split into mean and
 * log-variance [B, L, h, w], log-variance clamped to [-30, 20] as the reference does.
 */
public record DiagonalGaussian(INDArray moments, INDArray mean, INDArray logvar) {
    public static final double LOGVAR_MIN = -30.0;
    public static final double LOGVAR_MAX = 20.0;

    /** Splits moments along the channel axis (first half mean, second half log-variance). */
    public static DiagonalGaussian fromMoments(INDArray moments) {
        if (moments.rank() != 4 || moments.size(1) % 2 != 0) {
            throw new IllegalArgumentException("moments must be [B, 2L, h, w], got " + Arrays.toString(moments.shape()));
        }
        long l = moments.size(1) / 2;
        INDArray mean = moments.get(NDArrayIndex.all(), NDArrayIndex.interval(0, l), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        INDArray raw = moments.get(NDArrayIndex.all(), NDArrayIndex.interval(l, 2 * l), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray logvar = Transforms.min(Transforms.max(raw, LOGVAR_MIN, true), LOGVAR_MAX, false);
        return new DiagonalGaussian(moments, mean, logvar);
    }

    /** exp(0.5 logvar). */
    public INDArray std() { return Transforms.exp(logvar.mul(0.5), false); }

    /** exp(logvar). */
    public INDArray var() { return Transforms.exp(logvar, true); }

    /** The mode (= mean) of the distribution. */
    public INDArray mode() { return mean; }

    /** mean + std * eps, with eps ~ N(0, 1) supplied by the caller (so that sampling is reproducible). */
    public INDArray sample(INDArray eps) {
        return sample(mean, logvar, eps);
    }

    /** mean + exp(0.5 logvar) * eps for already split (and clamped) mean and log-variance. */
    public static INDArray sample(INDArray mean, INDArray logvar, INDArray eps) {
        if (!Arrays.equals(mean.shape(), logvar.shape()) || !Arrays.equals(mean.shape(), eps.shape())) {
            throw new IllegalArgumentException("mean " + Arrays.toString(mean.shape()) + ", logvar "
                    + Arrays.toString(logvar.shape()) + " and eps " + Arrays.toString(eps.shape()) + " must have one shape");
        }
        return Transforms.exp(logvar.mul(0.5), false).muli(eps.castTo(logvar.dataType())).addi(mean);
    }
}
