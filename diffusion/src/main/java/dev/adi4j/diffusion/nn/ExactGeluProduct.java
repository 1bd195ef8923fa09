package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;

import java.util.List;

/**
 * The last product of {@link Ops#gelu}, x * Phi(x), with GELU's closed-form derivative Phi(x) + x phi(x) recomputed
 * from x in the backward. SameDiff's chain rule through erf kept three tensors of the activation's size alive for
 * the backward (x / sqrt 2 for erf's derivative, then both factors of the product) where PyTorch keeps x alone; on
 * SD 2.1's text encoder that was ~0.9 GB of a retained forward pass. {@link Ops#gelu} computes Phi(x) from a detached
 * x, so autodiff reaches x through this product only. The product is recognised by its output's name
 * ({@link #MARK}, which survives SameDiff's graph copies), any other multiply keeps SameDiff's multiply_bp.
 * Registered for multiply's hash by {@link SameDiffPatches}.
 */
public class ExactGeluProduct extends MulOp {
    /** Part of the name of a GELU output variable. */
    static final String MARK = "adi4j_exact_gelu";
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    public ExactGeluProduct() {
        // SameDiff instantiates ops reflectively when it clones a graph
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] in = args();
        if (in.length != 2 || !outputVariable().name().contains(MARK)) return super.doDiff(gradients);
        SDVariable x = in[0];
        SDVariable cdf = Ops.standardNormalCdf(sameDiff, x);
        SDVariable pdfTimesX = sameDiff.math.exp(x.mul(x).mul(-0.5)).mul(x).mul(INV_SQRT_2PI);
        // Phi(x) is computed from a detached x (Ops#gelu): it needs no gradient, and nothing of its subgraph is read
        return List.of(gradients.get(0).mul(cdf.add(pdfTimesX)));
    }
}
