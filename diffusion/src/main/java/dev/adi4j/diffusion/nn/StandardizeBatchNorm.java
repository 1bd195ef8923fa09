package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * libnd4j's batchnorm with the backwards {@link Standardize} needs; SameDiff's batchnorm_bp always computes the
 * training-mode input gradient, as if mean and variance were the batch statistics of the input and were
 * differentiated through. Two uses:
 * <ul>
 * <li>Row standardisation: the input viewed as [1, R, M, 1] (channel axis 1, every row one "channel") with the
 * per-row mean and variance computed by reduce ops whose outputs reach this op only through a bit-cast round trip
 * (float -> int -> float). SameDiff differentiates along floating-point paths only, so the statistics are no part of
 * the gradient function and this op carries the whole input gradient in closed form:
 * dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), xhat being this op's output.</li>
 * <li>Constant mean and variance (the per-channel affine y = x * gamma + beta as batchnorm with mean 0, variance 1
 * and epsilon 0): dx = g * gamma * rsqrt(var + eps), itself one batchnorm; trainable gamma and beta get
 * sum(g * xhat) and sum(g) over all axes but the channel axis (SameDiff's own batchnorm backward does not even
 * build in M2.1).</li>
 * </ul>
 * Registered for batchnorm's hash by {@link SameDiffPatches}, since SameDiff clones ops into its gradient function
 * by op hash; the forward is SameDiff's batchnorm unchanged.
 */
public class StandardizeBatchNorm extends BatchNorm {
    public StandardizeBatchNorm() {
        // SameDiff instantiates ops reflectively when it clones a graph
    }

    StandardizeBatchNorm(SameDiff sd, SDVariable x, SDVariable mean, SDVariable variance, SDVariable gamma,
                         SDVariable beta, double eps) {
        super(sd, x, mean, variance, gamma, beta, eps, new int[]{1});
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] in = args();
        long[] a = iArgs();
        double[] t = tArgs();
        // batchnorm's integer arguments: applyGamma, applyBeta, axis...
        if (a.length < 3 || t.length != 1) return super.doDiff(gradients); // not built by BatchNorm's constructors
        boolean applyGamma = a[0] != 0;
        boolean applyBeta = a[1] != 0;
        int[] axes = Arrays.stream(a, 2, a.length).mapToInt(v -> (int) v).toArray();
        double eps = t[0];
        if (!applyGamma && !applyBeta && Arrays.equals(axes, new int[]{1}) && detached(in[1]) && detached(in[2])) {
            return List.of(standardizeGradient(gradients.get(0), in[2], eps));
        }
        if (constant(in[1]) && constant(in[2])) {
            return constantStatisticsGradient(gradients, in, applyGamma, applyBeta, axes, eps);
        }
        return super.doDiff(gradients);
    }

    /**
     * dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) in five passes over [1, R, M, 1]: two row reductions (the
     * second a dot product, no g * xhat array) and three row-wise batchnorms (xhat scaled by its row's
     * mean(g * xhat), subtracted from g, then centred on mean(g) and scaled by rstd).
     */
    private SDVariable standardizeGradient(SDVariable g, SDVariable variance, double eps) {
        SDVariable xhat = outputVariable();
        SDVariable meanG = sameDiff.reshape(g.mean(false, 2), -1);
        SDVariable cols = sameDiff.sizeAt(g, 2).castTo(g.dataType());
        SDVariable meanGx = sameDiff.reshape(sameDiff.dot(g, xhat, 2), -1).div(cols);
        SDVariable zeros = sameDiff.zerosLike(meanG);
        SDVariable ones = sameDiff.onesLike(meanG);
        SDVariable scaled = new BatchNorm(sameDiff, xhat, zeros, ones, meanGx, null, 0.0, new int[]{1}).outputVariable();
        SDVariable u = g.sub(scaled);
        return new BatchNorm(sameDiff, u, meanG, variance, null, null, eps, new int[]{1}).outputVariable();
    }

    private List<SDVariable> constantStatisticsGradient(List<SDVariable> gradients, SDVariable[] in,
                                                        boolean applyGamma, boolean applyBeta, int[] axes,
                                                        double eps) {
        SDVariable gamma = applyGamma ? in[3] : null;
        SDVariable dx = new BatchNorm(sameDiff, gradients.get(0), sameDiff.zerosLike(in[1]), in[2], gamma, null,
                eps, axes).outputVariable();
        List<SDVariable> grads = new ArrayList<>();
        grads.add(dx);
        grads.add(sameDiff.zerosLike(in[1]));
        grads.add(sameDiff.zerosLike(in[2]));
        if (in.length == 3) return grads;
        boolean trainable = false;
        for (int i = 3; i < in.length; i++) trainable |= !constant(in[i]);
        if (!trainable) {
            for (int i = 3; i < in.length; i++) grads.add(sameDiff.zerosLike(in[i]));
            return grads;
        }
        // SameDiff's own batchnorm backward does not build in M2.1 (BatchNormDerivative rejects 6 inputs)
        if (!Arrays.equals(axes, new int[]{1})) {
            throw new UnsupportedOperationException("batchnorm with trainable gamma/beta: gradients only for axis 1, got "
                    + Arrays.toString(axes));
        }
        SDVariable g = gradients.get(0);
        if (applyGamma) {
            SDVariable xhat = new BatchNorm(sameDiff, in[0], in[1], in[2], null, null, eps, axes).outputVariable();
            grads.add(channelSum(g.mul(xhat), in[0]));
        }
        if (applyBeta) grads.add(channelSum(g, in[0]));
        return grads;
    }

    /** v summed over every axis but 1, as [C]; the rank of like is only known when the graph runs. */
    private SDVariable channelSum(SDVariable v, SDVariable like) {
        SDVariable lead = sameDiff.slice(sameDiff.shape(like), new int[]{0}, 2);
        SDVariable shape = sameDiff.concat(0, lead, sameDiff.constant(Nd4j.createFromArray(-1L)));
        return sameDiff.reshape(v, shape).sum(0, 2);
    }

    private static boolean constant(SDVariable v) {
        return v.getVariableType() == VariableType.CONSTANT;
    }

    /** A statistic SameDiff does not differentiate: a constant, or the float end of a bit-cast round trip. */
    private static boolean detached(SDVariable v) {
        if (constant(v)) return true;
        if (v.getVariableType() != VariableType.ARRAY) return false;
        var producer = v.getSameDiff().getVariableOutputOp(v.name());
        if (producer == null || !"bitcast".equals(producer.opName())) return false;
        SDVariable[] src = producer.args();
        return src.length >= 1 && !src[0].dataType().isFPType();
    }
}
