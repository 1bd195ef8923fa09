package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;

import java.util.List;

/**
 * SameDiff's softmax with its backward written on the softmax's output, dx = y (g - sum(g y)), as PyTorch's is.
 * SameDiff's softmax_bp reads the softmax's input and recomputes y from it, so a retained forward (a split gradient,
 * a kept UNet stage) held the attention scores twice: once before the softmax for softmax_bp, once after it for the
 * product with the values. Only for a softmax over a non-negative axis ({@link Ops} gives attention's as 3): the sum's
 * axis must be given normalised, and a graph's rank is not known here. Registered for softmax's hash by
 * {@link SameDiffPatches}.
 */
public class SoftmaxFromOutput extends SoftMax {
    public SoftmaxFromOutput() {
        // SameDiff instantiates ops reflectively when it clones a graph
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        long[] axes = iArgs();
        // a negative axis reaches the legacy sum unnormalised and sums the wrong way: keep softmax_bp then
        if (axes.length != 1 || axes[0] < 0) return super.doDiff(gradients);
        int axis = (int) axes[0];
        SDVariable y = outputVariable();
        SDVariable g = gradients.get(0);
        SDVariable dot = g.mul(y).sum(true, axis);
        return List.of(g.sub(dot).mul(y));
    }
}
