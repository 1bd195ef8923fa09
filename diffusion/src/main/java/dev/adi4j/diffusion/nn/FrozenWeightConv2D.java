package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;

import java.util.List;

/**
 * SameDiff's conv2d with a cheaper backward when the weights are frozen (constants, as in ADI, where only the
 * identifiers train): the input gradient alone, as a transposed convolution of the upstream gradient with the same
 * YXIO weights. SameDiff's own conv2d_bp always computes the weight and bias gradients too, which measured
 * ~5x the cost of the input gradient with oneDNN natives ([1,320,64,64], 3x3). Trainable weights, strides other
 * than 1, dilation or SAME padding keep SameDiff's conv2d_bp.
 *
 * <p>SameDiff clones every op into its gradient function by op hash, so this class is registered for conv2d's
 * hash by {@link SameDiffPatches}; the forward computation is SameDiff's conv2d unchanged.
 */
public class FrozenWeightConv2D extends Conv2D {
    public FrozenWeightConv2D() {
        // SameDiff instantiates ops reflectively when it clones a graph
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] in = args();
        long[] a = iArgs();
        // conv2d's integer arguments: kH, kW, sH, sW, pH, pW, dH, dW, isSameMode, dataFormat (0 = NCHW), wFormat (0 = YXIO)
        boolean frozen = in[1].getVariableType() == VariableType.CONSTANT
                && (in.length < 3 || in[2].getVariableType() == VariableType.CONSTANT);
        boolean plain = a.length >= 9 && a[2] == 1 && a[3] == 1 && a[6] == 1 && a[7] == 1 && a[8] == 0
                && (a.length < 10 || a[9] == 0) && (a.length < 11 || a[10] == 0);
        if (!frozen || !plain) return super.doDiff(gradients);
        DeConv2DConfig transposed = DeConv2DConfig.builder().kH(a[0]).kW(a[1]).sH(1).sW(1).pH(a[4]).pW(a[5])
                .dH(1).dW(1).isSameMode(false).dataFormat(DeConv2DConfig.NCHW).build();
        SDVariable dx = new DeConv2D(sameDiff, new SDVariable[]{gradients.get(0), in[1]}, transposed).outputVariable();
        return List.of(dx);
    }
}
