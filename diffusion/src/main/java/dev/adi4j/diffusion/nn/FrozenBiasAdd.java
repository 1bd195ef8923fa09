package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;

import java.util.List;

/**
 * SameDiff's add with a cheaper backward for a frozen bias added to a matrix product ({@link Ops#linear}): the
 * gradient of the product is the incoming gradient itself. SameDiff's add_bp always copies that gradient and
 * reduces the bias gradient over every row as well — on the SD 2.1 text encoder's backward ~1 s per pass of 16
 * rows, for a gradient nobody asked for. Any other add keeps add_bp. Registered for add's hash by
 * {@link SameDiffPatches}.
 */
public class FrozenBiasAdd extends AddOp {
    public FrozenBiasAdd() {
        // SameDiff instantiates ops reflectively when it clones a graph
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] in = args();
        if (in.length == 2 && isFrozenBiasOfProduct(in[0], in[1])) {
            return List.of(sameDiff.identity(gradients.get(0)));
        }
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
