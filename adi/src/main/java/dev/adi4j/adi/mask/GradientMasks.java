package dev.adi4j.adi.mask;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.Objects;

/**
 * ADI's gradient masks (docs/adi-method.md, "The update rule, exactly"), computed with ND4J on float32
 * gradients of shape [L, D] (L identifier rows, D channels).
 * <ul>
 *   <li>k = floor(beta * n + 0.5), n = D (scope token, per row) or L * D (scope global);</li>
 *   <li>context mask: 0 where |g_anchor - g_context| &ge; s[n-k], else 1 (nothing masked when k = 0);</li>
 *   <li>action mask: 0 where |g_anchor - g_action| &lt; s[k], else 1 (everything masked when k = n);</li>
 * </ul>
 * with s the scope's differences sorted ascending. With ties the context mask may mask more than k
 * channels and the action mask fewer: the inequalities are the paper's, kept literally.
 * The masks are 0/1 float32 arrays; a returned array never aliases an input.
 */
public final class GradientMasks {

    /**
     * One step's masks. {@code contextMask} and {@code actionMask} are the rule's two masks whatever the
     * method (null only from {@link #passThrough}); {@code mask} is the merged mask the method applies and
     * {@code maskedGradient} = mask * g_anchor.
     */
    public record Result(INDArray contextMask, INDArray actionMask, INDArray mask, INDArray maskedGradient) {
        public Result {
            Objects.requireNonNull(mask, "mask");
            Objects.requireNonNull(maskedGradient, "maskedGradient");
        }

        /** Fraction of channels the context mask keeps, per row; null when it was not computed. */
        public double[] contextKeptPerRow() {
            return contextMask == null ? null : keptFractionPerRow(contextMask);
        }

        /** Fraction of channels the action mask keeps, per row; null when it was not computed. */
        public double[] actionKeptPerRow() {
            return actionMask == null ? null : keptFractionPerRow(actionMask);
        }

        /** Fraction of channels the applied (merged) mask keeps, per row. */
        public double[] maskKeptPerRow() {
            return keptFractionPerRow(mask);
        }
    }

    private final MaskMethod method;
    private final double beta;
    private final MaskScope scope;

    /** @param beta masking ratio, finite and in [0, 1] */
    public GradientMasks(MaskMethod method, double beta, MaskScope scope) {
        this.method = Objects.requireNonNull(method, "method");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.beta = checkBeta(beta);
    }

    public MaskMethod method() {
        return method;
    }

    public double beta() {
        return beta;
    }

    public MaskScope scope() {
        return scope;
    }

    /**
     * Both masks, the merged mask of this method and the masked anchor gradient. All three gradients must
     * be finite float32 arrays of one shape [L, D].
     */
    public Result compute(INDArray gAnchor, INDArray gContext, INDArray gAction) {
        long[] shape = checkGradient("g_anchor", gAnchor, null);
        checkGradient("g_context", gContext, shape);
        checkGradient("g_action", gAction, shape);
        INDArray ctx = contextMask(difference(gAnchor, gContext), beta, scope);
        INDArray act = actionMask(difference(gAnchor, gAction), beta, scope);
        INDArray mask = merge(method, ctx, act);
        return new Result(ctx, act, mask, mask.mul(gAnchor));
    }

    /**
     * For methods without a mask (TI, P+) when the context and action gradients were not computed: the
     * mask is all ones, the masked gradient a copy of g_anchor, the two rule masks null.
     */
    public Result passThrough(INDArray gAnchor) {
        if (method.usesMasks()) {
            throw new IllegalStateException("method " + method + " masks gradients: it needs the context and "
                    + "action gradients, use compute(gAnchor, gContext, gAction)");
        }
        checkGradient("g_anchor", gAnchor, null);
        return new Result(null, null, Nd4j.onesLike(gAnchor), gAnchor.dup('c'));
    }

    /** k = floor(beta * n + 0.5): how many of n values a mask targets. */
    public static long maskedCount(double beta, long n) {
        checkBeta(beta);
        if (n < 1) throw new IllegalArgumentException("n must be at least 1, got " + n);
        return (long) Math.floor(beta * n + 0.5);
    }

    /** |a - b| in float32. */
    public static INDArray difference(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b), false);
    }

    /** 0 where dgc &ge; s[n-k] (the k largest, and any value tied with the k-th largest), else 1. */
    public static INDArray contextMask(INDArray dgc, double beta, MaskScope scope) {
        checkGradient("dgc", dgc, null);
        long n = scopeSize(dgc, scope);
        long k = maskedCount(beta, n);
        if (k == 0) return Nd4j.onesLike(dgc);
        return below(dgc, threshold(dgc, n - k, scope));
    }

    /** 0 where dga &lt; s[k] (the k smallest, less any tied with the (k+1)-th smallest), else 1. */
    public static INDArray actionMask(INDArray dga, double beta, MaskScope scope) {
        checkGradient("dga", dga, null);
        long n = scopeSize(dga, scope);
        long k = maskedCount(beta, n);
        if (k == n) return Nd4j.zerosLike(dga);
        return below(dga, threshold(dga, k, scope)).rsubi(1.0);
    }

    /** The mask a method applies: AND (product) for adi, OR (max) for adi-union, all ones for ti and pplus. */
    public static INDArray merge(MaskMethod method, INDArray contextMask, INDArray actionMask) {
        return switch (method) {
            case ADI -> contextMask.mul(actionMask);
            case ADI_UNION -> Transforms.max(contextMask, actionMask, true);
            case ADI_CONTEXT_ONLY -> contextMask.dup('c');
            case ADI_ACTION_ONLY -> actionMask.dup('c');
            case TI, PPLUS -> Nd4j.onesLike(contextMask);
        };
    }

    /** Mean of each row of a 0/1 mask [L, D]: the fraction of channels kept, for logging. */
    public static double[] keptFractionPerRow(INDArray mask) {
        if (mask.rank() != 2) {
            throw new IllegalArgumentException("mask must be [L, D], got " + Arrays.toString(mask.shape()));
        }
        return mask.castTo(DataType.DOUBLE).mean(1).toDoubleVector();
    }

    private static long scopeSize(INDArray x, MaskScope scope) {
        return scope == MaskScope.TOKEN ? x.size(1) : x.length();
    }

    /**
     * The value at ascending position {@code index} of the scope, broadcast to x's shape (token scope) or as
     * a [1, 1] array (global scope) so that one comparison serves both.
     */
    private static INDArray threshold(INDArray x, long index, MaskScope scope) {
        if (scope == MaskScope.TOKEN) {
            INDArray sorted = Nd4j.sort(x.dup('c'), 1, true);
            INDArray column = sorted.getColumn(index, true);   // [L, 1]
            return column.repeat(1, x.size(1));
        }
        INDArray sorted = Nd4j.sort(x.reshape('c', 1, x.length()).dup('c'), 1, true);
        return Nd4j.valueArrayOf(x.shape(), sorted.getFloat(0, index), DataType.FLOAT);
    }

    /** 1 where x &lt; threshold, else 0, as float32. */
    private static INDArray below(INDArray x, INDArray threshold) {
        return x.lt(threshold).castTo(DataType.FLOAT);
    }

    private static double checkBeta(double beta) {
        if (!Double.isFinite(beta) || beta < 0 || beta > 1) {
            throw new IllegalArgumentException("beta (masking ratio) must be a finite number in [0, 1], got "
                    + beta);
        }
        return beta;
    }

    private static long[] checkGradient(String what, INDArray g, long[] expectedShape) {
        if (g == null) throw new IllegalArgumentException(what + " is missing (null)");
        if (g.rank() != 2 || g.size(0) < 1 || g.size(1) < 1) {
            throw new IllegalArgumentException(what + " must have shape [L, D] with L, D >= 1, got "
                    + Arrays.toString(g.shape()));
        }
        if (expectedShape != null && !Arrays.equals(g.shape(), expectedShape)) {
            throw new IllegalArgumentException(what + " has shape " + Arrays.toString(g.shape())
                    + " but g_anchor has " + Arrays.toString(expectedShape));
        }
        if (g.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(what + " must be float32 (FLOAT), got " + g.dataType());
        }
        if (g.isNaN().any() || g.isInfinite().any()) {
            throw new IllegalArgumentException(what + " holds NaN or infinite values");
        }
        return g.shape();
    }
}
