package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;

import java.util.ArrayList;
import java.util.List;

/**
 * SameDiff's add with the incoming gradient passed on unchanged where that is the whole gradient: to the inputs of
 * a residual sum of two same-shape values, to the scores under a constant attention mask, and to a matrix product
 * under its frozen bias. SameDiff's add_bp copies the gradient, reduces one for each input even when nobody asked
 * for it (the bias: ~1 s per backward pass of SD 2.1's text encoder over 16 rows), and reads both forward inputs
 * for their shapes, so a retained forward pass (a split gradient, a kept UNet stage) held every residual stream
 * and every score tensor for it. The first two cases are marked by {@link Ops} in the sum's name ({@link #MARK},
 * names survive SameDiff's graph copies); the third is recognised by its structure. Any other add keeps add_bp.
 * Registered for add's hash by {@link SameDiffPatches}.
 */
public class IdentityGradientAdd extends AddOp {
    /** Part of the name of a sum whose non-constant inputs have the sum's shape. */
    static final String MARK = "adi4j_identity_grad_add";

    public IdentityGradientAdd() {
        // SameDiff instantiates ops reflectively when it clones a graph
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] in = args();
        if (in.length != 2) return super.doDiff(gradients);
        SDVariable g = gradients.get(0);
        if (outputVariable().name().contains(MARK)) {
            List<SDVariable> out = new ArrayList<>(2);
            out.add(sameDiff.identity(g));
            // a constant (the mask) gets no gradient; SameDiff reads the list positionally, so it may stop short
            if (in[1].getVariableType() != VariableType.CONSTANT) out.add(sameDiff.identity(g));
            return out;
        }
        if (isFrozenBiasOfProduct(in[0], in[1])) return List.of(sameDiff.identity(g));
        return super.doDiff(gradients);
    }

    private boolean isFrozenBiasOfProduct(SDVariable product, SDVariable bias) {
        if (bias.getVariableType() != VariableType.CONSTANT || product.getVariableType() != VariableType.ARRAY) {
            return false;
        }
        if (bias.getArr() == null || bias.getArr().rank() != 1) return false;
        DifferentialFunction producer = sameDiff.getVariableOutputOp(product.name());
        // a rank-2 product [rows, out] plus a bias [out]: the sum has the product's shape
        return producer instanceof Mmul mmul && mmul.args().length == 2 && mmul.args()[1].getArr() != null
                && mmul.args()[1].getArr().rank() == 2 && mmul.args()[1].getArr().size(1) == bias.getArr().length()
                && !FrozenWeightMatMul.transposed(mmul);
    }
}
