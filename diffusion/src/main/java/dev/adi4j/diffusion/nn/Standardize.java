package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Standardisation of the rows of an [R, M] matrix: (x - mean) * rsqrt(var + eps) with the biased variance, as
 * PyTorch's GroupNorm and LayerNorm. Two equivalent graphs: {@link #composed} from means and elementwise ops, whose
 * backward is SameDiff's chain of *_bp ops, and {@link #fused}, one batchnorm whose backward is a closed form
 * ({@link StandardizeBatchNorm}); likewise for the affine step. The fused form is used unless
 * {@code -Dadi4j.stockNorm=true} or the op patch could not be registered.
 */
public final class Standardize {
    private Standardize() {
    }

    /** True when {@link #rows} builds the fused form. */
    public static boolean fusedEnabled() {
        return SameDiffPatches.normInstalled();
    }

    /**
     * The rows of x ([rows, cols]) standardised: fused when {@link #fusedEnabled()} and the graph can be
     * differentiated, else composed. A graph without variables (adi4j declares trainable inputs before building,
     * see NetGraph) is forward-only, and there the fused form is slower (R1 forward 107-127 ms against 100-111 ms).
     */
    public static SDVariable rows(SameDiff sd, SDVariable x, long rows, long cols, double eps) {
        return useFused(sd) && cols > 1 ? fused(sd, x, rows, cols, eps) : composed(x, eps);
    }

    private static boolean useFused(SameDiff sd) {
        return fusedEnabled() && sd.variables().stream().anyMatch(v -> v.getVariableType() == VariableType.VARIABLE);
    }

    /** Mean, centring, mean of squares, rsqrt: SameDiff differentiates each op on its own. */
    static SDVariable composed(SDVariable x, double eps) {
        SDVariable d = x.sub(x.mean(true, 1));
        SDVariable var = d.mul(d).mean(true, 1);
        return d.mul(x.getSameDiff().math.rsqrt(var.add(eps)));
    }

    /** batchnorm over x viewed as [1, rows, cols, 1] with statistics detached from the gradient. */
    static SDVariable fused(SameDiff sd, SDVariable x, long rows, long cols, double eps) {
        SDVariable mean = x.mean(true, 1);
        // two passes (centre, then sum of squares) measured 2-3x faster than SameDiff's variance op, which also
        // loses its biasCorrected=false flag on the copy SameDiff makes for the gradient function
        SDVariable var = sd.squaredNorm(x.sub(mean), false, 1).mul(1.0 / cols);
        SDVariable x4 = sd.reshape(x, 1, rows, cols, 1);
        SDVariable y = new StandardizeBatchNorm(sd, x4, Ops.detach(sd, sd.reshape(mean, rows)), Ops.detach(sd, var), null,
                null, eps).outputVariable();
        return sd.reshape(y, rows, cols);
    }

    /**
     * x * gamma + beta with gamma and beta ([C]) along axis 1 of x (of the given rank). Fused: one batchnorm with
     * mean 0, variance 1 and epsilon 0, whose backward is g * gamma (see {@link StandardizeBatchNorm}); composed: a
     * broadcast multiply and add, whose multiply_bp also reduces a gradient for gamma, needed or not.
     */
    public static SDVariable affine(SameDiff sd, SDVariable x, int rank, long channels, SDVariable gamma,
                                    SDVariable beta) {
        if (useFused(sd)) {
            SDVariable zeros = sd.constant(Nd4j.zeros(gamma.dataType(), channels));
            SDVariable ones = sd.constant(Nd4j.ones(gamma.dataType(), channels));
            return new StandardizeBatchNorm(sd, x, zeros, ones, gamma, beta, 0.0).outputVariable();
        }
        long[] shape = new long[rank];
        Arrays.fill(shape, 1);
        shape[1] = channels;
        return x.mul(sd.reshape(gamma, shape)).add(sd.reshape(beta, shape));
    }
}
