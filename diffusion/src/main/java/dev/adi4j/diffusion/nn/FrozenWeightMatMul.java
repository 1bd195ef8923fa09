package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

import java.util.List;

/**
 * SameDiff's matmul with a cheaper backward when the right operand is frozen (a constant linear weight or
 * selection matrix): only dL/dA = dL/dY B^T. SameDiff's matmul_bp always computes dL/dB as well, a second
 * matmul of the same size. Transposed or trainable operands keep SameDiff's matmul_bp. Registered for matmul's
 * hash by {@link SameDiffPatches}.
 */
public class FrozenWeightMatMul extends Mmul {
    public FrozenWeightMatMul() {
        // SameDiff instantiates ops reflectively when it clones a graph
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] in = args();
        boolean frozenRight = in.length == 2 && in[1].getVariableType() == VariableType.CONSTANT
                && in[0].getVariableType() != VariableType.CONSTANT;
        if (transposed(this) || !frozenRight) return super.doDiff(gradients);
        return List.of(sameDiff.mmul(gradients.get(0), in[1], false, true, false));
    }

    /** Whether a matmul transposes an operand or its result (its integer arguments are the three flags). */
    static boolean transposed(Mmul mmul) {
        for (long flag : mmul.iArgs()) if (flag != 0) return true;
        return false;
    }
}
