package dev.adi4j.convert;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/** How one source tensor becomes one target tensor (besides its new name). */
public enum Transform {
    /** Same values, same shape. */
    COPY,
    /** Rows [0, d) of a fused [3d, ...] q/k/v projection (OpenCLIP's {@code in_proj_weight}/{@code in_proj_bias}). */
    SPLIT_Q,
    /** Rows [d, 2d) of a fused projection. */
    SPLIT_K,
    /** Rows [2d, 3d) of a fused projection. */
    SPLIT_V,
    /** A 1x1 convolution weight [out, in, 1, 1] used as a linear weight [out, in] (VAE mid-block attention). */
    SQUEEZE_1X1;

    /** The target shape for a source shape; throws {@link IllegalArgumentException} when the source cannot be transformed. */
    public long[] targetShape(long[] source) {
        return switch (this) {
            case COPY -> source.clone();
            case SPLIT_Q, SPLIT_K, SPLIT_V -> {
                if (source.length < 1 || source[0] % 3 != 0) {
                    throw new IllegalArgumentException("fused q/k/v projection needs a first dimension divisible by 3, got "
                            + Arrays.toString(source));
                }
                long[] t = source.clone();
                t[0] = source[0] / 3;
                yield t;
            }
            case SQUEEZE_1X1 -> {
                if (source.length == 2) yield source.clone(); // already linear (e.g. a re-saved checkpoint)
                if (source.length != 4 || source[2] != 1 || source[3] != 1) {
                    throw new IllegalArgumentException("expected a 1x1 convolution weight [out,in,1,1], got "
                            + Arrays.toString(source));
                }
                yield new long[]{source[0], source[1]};
            }
        };
    }

    /** Applies the transform to a tensor of the source shape; returns a fresh c-order array. */
    public INDArray apply(INDArray source) {
        long[] target = targetShape(source.shape());
        return switch (this) {
            case COPY -> source;
            case SQUEEZE_1X1 -> source.reshape('c', target);
            case SPLIT_Q, SPLIT_K, SPLIT_V -> {
                long d = target[0];
                long start = (ordinal() - SPLIT_Q.ordinal()) * d;
                INDArray rows = source.rank() == 1
                        ? source.get(NDArrayIndex.interval(start, start + d))
                        : source.get(NDArrayIndex.interval(start, start + d), NDArrayIndex.all());
                yield rows.dup('c');
            }
        };
    }
}
