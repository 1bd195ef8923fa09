package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.custom.BitCast;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;


/**
 * The op layer: every network of adi4j builds its graph through these methods and nothing else, so that
 * a workaround for a wrong SameDiff op, or an optimisation, lives in exactly one place. Each method is
 * checked against the reference goldens (see OpsTest and the network golden cases).
 *
 * <p>Known SameDiff M2.1 problems handled here (measured, see docs/engine.md): there is no
 * GroupNorm op and {@code variance} has wrong gradients, so normalisation is built from means;
 * {@code gelu}/{@code preciseGelu} are approximations, so GELU is built from erf; conv2d backward only
 * works with YXIO weights, so weights are re-laid out at load ({@link ParamLayout}); {@code mmul} does not
 * broadcast, so linears flatten to rank 2.
 */
public final class Ops {
    /** Numbers the marked names of every graph of the process (so a name is fresh in copies and merged graphs too). */
    private static final AtomicLong MARKED_NAMES = new AtomicLong();
    private final SameDiff sd;

    public Ops(SameDiff sd) {
        this.sd = sd;
        SameDiffPatches.installed();
        BlasThreads.ensureApplied();
    }

    public SameDiff sameDiff() { return sd; }

    /** y = x W + b over the last dimension; W is [in, out] ({@link ParamLayout#LINEAR_TRANSPOSED}). */
    public Tensor linear(Tensor x, SDVariable w, SDVariable b, long out) {
        long in = x.dim(-1);
        long rows = x.numel() / in;
        SDVariable flat = x.rank() == 2 ? x.var() : sd.reshape(x.var(), rows, in);
        SDVariable y = sd.mmul(flat, w);
        if (b != null) y = y.add(b);
        long[] shape = x.shape();
        shape[shape.length - 1] = out;
        return new Tensor(x.rank() == 2 ? y : sd.reshape(y, shape), shape);
    }

    /** 2-D convolution, NCHW input, YXIO weight [kH, kW, in, out], symmetric zero padding. */
    public Tensor conv2d(Tensor x, SDVariable w, SDVariable b, long outChannels, int kernel, int stride, int padding) {
        Conv2DConfig cfg = Conv2DConfig.builder()
                .kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW")
                .weightsFormat(WeightsFormat.YXIO).build();
        // the gradient function's copy of this op is a FrozenWeightConv2D (see SameDiffPatches)
        SDVariable y = b == null ? sd.cnn.conv2d(x.var(), w, cfg) : sd.cnn.conv2d(x.var(), w, b, cfg);
        long h = (x.dim(2) + 2L * padding - kernel) / stride + 1;
        long wd = (x.dim(3) + 2L * padding - kernel) / stride + 1;
        return new Tensor(y, x.dim(0), outChannels, h, wd);
    }

    /** Zero padding of the two spatial dimensions of an NCHW tensor. */
    public Tensor pad2d(Tensor x, int top, int bottom, int left, int right) {
        INDArray pads = Nd4j.createFromArray(new int[][]{{0, 0}, {0, 0}, {top, bottom}, {left, right}});
        SDVariable y = sd.nn.pad(x.var(), sd.constant(pads), 0.0);
        return new Tensor(y, x.dim(0), x.dim(1), x.dim(2) + top + bottom, x.dim(3) + left + right);
    }

    /**
     * GroupNorm over an NCHW (or N,C,L) tensor: statistics per sample and group over the group's channels
     * and all positions; gamma/beta are per channel ([C]).
     */
    public Tensor groupNorm(Tensor x, int groups, SDVariable gamma, SDVariable beta, double eps) {
        long n = x.dim(0);
        long c = x.dim(1);
        if (c % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: " + c + " channels not divisible by " + groups + " groups");
        }
        SDVariable back = sd.reshape(standardize(x, n * groups, eps), x.shape());
        return x.withVar(Standardize.affine(sd, back, x.rank(), c, gamma, beta));
    }

    /** LayerNorm over the last dimension with gain and bias of that size. */
    public Tensor layerNorm(Tensor x, SDVariable gamma, SDVariable beta, double eps) {
        SDVariable normed = standardize(x, x.numel() / x.dim(-1), eps);
        SDVariable y = Standardize.affine(sd, normed, 2, x.dim(-1), gamma, beta);
        return x.withVar(x.rank() == 2 ? y : sd.reshape(y, x.shape()));
    }

    /**
     * x viewed as [rows, -1] with each row standardised, (x - mean) * rsqrt(mean((x - mean)^2) + eps): biased
     * variance, as PyTorch. Normally one batchnorm with a closed-form backward (see {@link Standardize}).
     */
    private SDVariable standardize(Tensor x, long rows, double eps) {
        long cols = x.numel() / rows;
        SDVariable flat = x.rank() == 2 && x.dim(0) == rows ? x.var() : sd.reshape(x.var(), rows, cols);
        return Standardize.rows(sd, flat, rows, cols, eps);
    }

    /** SiLU (swish): x * sigmoid(x). */
    public Tensor silu(Tensor x) {
        return x.withVar(sd.nn.swish(x.var()));
    }

    /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)), as torch's default and transformers' "gelu". */
    public Tensor gelu(Tensor x) {
        SDVariable v = x.var();
        // x * (0.5 (1 + erf)): the same bits as 0.5 x (1 + erf). With adi4j's gradient classes the factor is computed
        // from a detached x, so autodiff never walks it, and ExactGeluProduct gives the whole derivative from x alone
        boolean exactProduct = SameDiffPatches.installed();
        SDVariable erfInput = exactProduct ? detach(sd, v) : v;
        SDVariable cdf = standardNormalCdf(sd, erfInput);
        return x.withVar(exactProduct ? sd.math.mul(markedName(ExactGeluProduct.MARK), v, cdf) : v.mul(cdf));
    }

    /** Phi(x) = 0.5 (1 + erf(x / sqrt 2)), GELU's factor (also recomputed by {@link ExactGeluProduct}'s backward). */
    static SDVariable standardNormalCdf(SameDiff sd, SDVariable x) {
        return sd.math.erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0).mul(0.5);
    }

    /** QuickGELU, x * sigmoid(1.702 x): OpenAI CLIP's activation, transformers' "quick_gelu". */
    public Tensor quickGelu(Tensor x) {
        SDVariable v = x.var();
        return x.withVar(v.mul(sd.nn.sigmoid(v.mul(1.702))));
    }

    /** a + b; a residual sum of two same-shape values passes its gradient on unchanged ({@link IdentityGradientAdd}). */
    public Tensor add(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) return a.withVar(a.var().add(b.var()));
        return a.withVar(identityGradientSum(a.var(), b.var()));
    }

    /** a + b where b is broadcast (e.g. a bias [B, C, 1, 1] onto [B, C, H, W]). */
    public Tensor addBroadcast(Tensor a, SDVariable b) {
        return a.withVar(a.var().add(b));
    }

    /** Whether a variable's name marks its op for one of adi4j's gradient classes (such a name must not change). */
    static boolean carriesGradientMark(String name) {
        return name.contains(IdentityGradientAdd.MARK) || name.contains(ExactGeluProduct.MARK);
    }

    /** A fresh variable name holding {@code mark}, by which a registered op class recognises its case in any copy. */
    private String markedName(String mark) {
        String name;
        do {
            name = mark + "_" + MARKED_NAMES.incrementAndGet();
        } while (sd.hasVariable(name));
        return name;
    }

    /** a + b, both of the sum's shape or b a constant broadcast into a: the gradient reaches a (and b) unchanged. */
    SDVariable identityGradientSum(SDVariable a, SDVariable b) {
        return sd.math.add(markedName(IdentityGradientAdd.MARK), a, b);
    }

    public Tensor mul(Tensor a, Tensor b) {
        return a.withVar(a.var().mul(b.var()));
    }

    public Tensor scale(Tensor a, double s) {
        return s == 1.0 ? a : a.withVar(a.var().mul(s));
    }

    public Tensor addScalar(Tensor a, double s) {
        return s == 0.0 ? a : a.withVar(a.var().add(s));
    }

    public Tensor reshape(Tensor x, long... shape) {
        return new Tensor(sd.reshape(x.var(), shape), shape);
    }

    public Tensor permute(Tensor x, int... axes) {
        long[] shape = new long[axes.length];
        for (int i = 0; i < axes.length; i++) shape[i] = x.dim(axes[i]);
        return new Tensor(sd.permute(x.var(), axes), shape);
    }

    /** Sum of all elements, a scalar (shape []); e.g. a loss sum(y * upstream) that injects a given gradient. */
    public Tensor sumAll(Tensor x) {
        return new Tensor(sd.sum(x.var()));
    }

    /** Elements {@code start .. start+length-1} of dimension {@code axis} (all of the other dimensions). */
    public Tensor narrow(Tensor x, int axis, long start, long length) {
        if (start == 0 && length == x.dim(axis)) return x;
        int[] begin = new int[x.rank()];
        int[] size = new int[x.rank()];
        long[] shape = x.shape();
        for (int i = 0; i < size.length; i++) size[i] = (int) shape[i];
        begin[axis] = Math.toIntExact(start);
        size[axis] = Math.toIntExact(length);
        shape[axis] = length;
        return new Tensor(sd.slice(x.var(), begin, size), shape);
    }

    /** Concatenation along {@code axis}. */
    public Tensor concat(int axis, Tensor... xs) {
        SDVariable[] vars = new SDVariable[xs.length];
        long[] shape = xs[0].shape();
        shape[axis] = 0;
        for (int i = 0; i < xs.length; i++) {
            vars[i] = xs[i].var();
            shape[axis] += xs[i].dim(axis);
        }
        return new Tensor(sd.concat(axis, vars), shape);
    }

    /** Splits the last dimension into two equal halves (e.g. GEGLU's value and gate). */
    public Tensor[] splitLastInHalf(Tensor x) {
        SDVariable[] parts = sd.split(x.var(), 2, x.rank() - 1);
        long[] shape = x.shape();
        shape[shape.length - 1] /= 2;
        return new Tensor[]{new Tensor(parts[0], shape), new Tensor(parts[1], shape)};
    }

    /**
     * Multi-head scaled dot-product attention on [B, L, C] projections: heads split C, scores scaled by
     * 1/sqrt(C/heads), optional additive mask broadcast to [B, heads, Lq, Lk]. Returns [B, Lq, C].
     */
    public Tensor attention(Tensor q, Tensor k, Tensor v, int heads, SDVariable additiveMask) {
        long b = q.dim(0);
        long lq = q.dim(1);
        long lk = k.dim(1);
        long c = q.dim(2);
        long d = c / heads;
        // the scale goes on q ([B, h, Lq, d]) rather than on the scores ([B, h, Lq, Lk]): one score-sized tensor less
        SDVariable qh = splitHeads(q, heads).mul(1.0 / Math.sqrt(d));
        SDVariable kh = splitHeads(k, heads);
        SDVariable vh = splitHeads(v, heads);
        long rowsPerChunk = Math.max(1, maxScoreElements / (b * heads * lk));
        SDVariable ctx;
        if (additiveMask != null || rowsPerChunk >= lq) {
            ctx = attend(qh, kh, vh, additiveMask);
        } else {
            // Query chunks, each forced to start after the previous one finished, so that only one chunk's
            // [B, h, rows, Lk] scores exist at a time instead of the whole [B, h, Lq, Lk] matrix.
            java.util.List<SDVariable> parts = new java.util.ArrayList<>();
            SDVariable previous = null;
            for (long start = 0; start < lq; start += rowsPerChunk) {
                long rows = Math.min(rowsPerChunk, lq - start);
                SDVariable qc = qh.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(start, start + rows), SDIndex.all());
                if (previous != null) qc.addControlDependency(previous);
                previous = attend(qc, kh, vh, null);
                parts.add(previous);
            }
            ctx = sd.concat(2, parts.toArray(SDVariable[]::new));
        }
        SDVariable merged = sd.reshape(sd.permute(ctx, 0, 2, 1, 3), b, lq, c);
        return new Tensor(merged, b, lq, c);
    }

    /** softmax(q k^T + mask) v for already scaled per-head q [B, h, Lq, d], k and v [B, h, Lk, d]. */
    private SDVariable attend(SDVariable qh, SDVariable kh, SDVariable vh, SDVariable additiveMask) {
        SDVariable scores = sd.mmul(qh, kh, false, true, false);
        if (additiveMask != null) {
            // scores have the sum's shape; a constant mask needs no gradient
            scores = additiveMask.getVariableType() == VariableType.CONSTANT
                    ? identityGradientSum(scores, additiveMask) : scores.add(additiveMask);
        }
        // the last axis given as 3, not -1: SoftmaxFromOutput needs it normalised
        return sd.mmul(sd.nn.softmax(scores, 3), vh);
    }

    /**
     * Attention score tensors above this many elements are computed over query chunks (default 2^26 = 256 MB
     * of float32; {@code -Dadi4j.attention.maxScoreElements}). SD 2.1's first level at 768x768 would otherwise
     * make 1.7 GB score tensors.
     */
    private long maxScoreElements = EngineOptions.current().attentionMaxScoreElements();

    /** Overrides the chunking threshold (tests use a tiny one to exercise the chunked path). */
    public void maxAttentionScoreElements(long elements) {
        this.maxScoreElements = elements;
    }

    private SDVariable splitHeads(Tensor x, int heads) {
        long d = x.dim(2) / heads;
        return sd.permute(sd.reshape(x.var(), x.dim(0), x.dim(1), heads, d), 0, 2, 1, 3);
    }

    /**
     * Nearest-neighbour resize of an NCHW tensor to (outH, outW), with PyTorch's index rule
     * src = floor(dst * in / out). Exact doubling uses SameDiff's upsampling op; other sizes (odd latents,
     * where the up path must meet the skip connection's size) use constant 0/1 selection matrices, because
     * SameDiff's gather has no working backward.
     */
    public Tensor upsampleNearest(Tensor x, long outH, long outW) {
        long n = x.dim(0);
        long c = x.dim(1);
        long h = x.dim(2);
        long w = x.dim(3);
        if (outH == 2 * h && outW == 2 * w) {
            return new Tensor(sd.cnn.upsampling2d(x.var(), 2, 2, true), n, c, outH, outW);
        }
        SDVariable cols = sd.mmul(sd.reshape(x.var(), n * c * h, w), sd.constant(selection(w, outW)));
        SDVariable t = sd.permute(sd.reshape(cols, n, c, h, outW), 0, 1, 3, 2);
        SDVariable rows = sd.mmul(sd.reshape(t, n * c * outW, h), sd.constant(selection(h, outH)));
        SDVariable y = sd.permute(sd.reshape(rows, n, c, outW, outH), 0, 1, 3, 2);
        return new Tensor(y, n, c, outH, outW);
    }

    private static INDArray selection(long in, long out) {
        INDArray m = Nd4j.zeros(DataType.FLOAT, in, out);
        for (long j = 0; j < out; j++) {
            long src = Math.min(in - 1, (long) Math.floor(j * (double) in / out));
            m.putScalar(src, j, 1f);
        }
        return m;
    }

    public Tensor sin(Tensor x) {
        return x.withVar(sd.math.sin(x.var()));
    }

    public Tensor cos(Tensor x) {
        return x.withVar(sd.math.cos(x.var()));
    }

    /** Outer product of a vector [B] with a constant row [1, K] -> [B, K]. */
    public Tensor outer(Tensor v, INDArray row) {
        SDVariable col = sd.reshape(v.var(), v.dim(0), 1);
        return new Tensor(col.mul(sd.constant(row)), v.dim(0), row.length());
    }

    /** Mean of squared differences over all elements: a scalar. */
    public Tensor mseLoss(Tensor a, Tensor b) {
        SDVariable d = a.var().sub(b.var());
        return new Tensor(d.mul(d).mean(), new long[0]);
    }

    /**
     * sum(a * b): a scalar whose gradient with respect to {@code a} is {@code b}. Feeding an upstream gradient as
     * {@code b} turns a sub-network's backward into an ordinary gradient call (gradient checkpointing).
     */
    public Tensor innerProduct(Tensor a, Tensor b) {
        return new Tensor(a.var().mul(b.var()).sum(), new long[0]);
    }

    /** A float constant in the graph. */
    public SDVariable constant(INDArray value) {
        return sd.constant(value);
    }

    /**
     * The same values through a float -> int -> float bit cast (an int of the float's width): SameDiff's autodiff
     * follows floating-point variables only, so nothing upstream of the int is differentiated through this path. An
     * execution plan runs the round trip as an alias of v (no copy).
     */
    static SDVariable detach(SameDiff sd, SDVariable v) {
        DataType bits = switch (v.dataType().width()) {
            case 2 -> DataType.SHORT;
            case 8 -> DataType.LONG;
            default -> DataType.INT;
        };
        return bitCast(sd, bitCast(sd, v, bits), v.dataType());
    }

    private static SDVariable bitCast(SameDiff sd, SDVariable v, DataType type) {
        BitCast op = new BitCast(sd, v, sd.constant(Nd4j.scalar(type.toInt())));
        op.addIArgument(type.toInt());
        return op.outputVariable();
    }
}
