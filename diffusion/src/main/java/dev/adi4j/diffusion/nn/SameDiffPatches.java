package dev.adi4j.diffusion.nn;

import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Registers adi4j's subclasses of SameDiff ops (same native op, better gradient) for their op's hash, so that
 * the copies SameDiff makes of a graph — its gradient function is built from a copy — use them too. SameDiff
 * resolves op classes through a private map of its class holder; if that ever fails, the stock op (correct,
 * slower) stays in place and {@link #installed()} says so.
 */
public final class SameDiffPatches {
    private static final boolean INSTALLED = install();
    private static final boolean NORM_INSTALLED = installNorm();

    private SameDiffPatches() {
    }

    /** True when the cheaper frozen-weight gradients are active. */
    public static boolean installed() {
        return INSTALLED;
    }

    /**
     * True when batchnorm's gradient is {@link StandardizeBatchNorm}'s, so that {@link Standardize} may use its
     * fused form; false with {@code -Dadi4j.stockNorm=true}.
     */
    public static boolean normInstalled() {
        return NORM_INSTALLED;
    }

    private static boolean installNorm() {
        if (EngineOptions.current().stockNorm()) return false;
        try {
            register("batchnorm", StandardizeBatchNorm.class);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static boolean install() {
        if (EngineOptions.current().stockGradients()) return false;
        try {
            register("conv2d", FrozenWeightConv2D.class);
            register("matmul", FrozenWeightMatMul.class);
            register("add", IdentityGradientAdd.class);
            register("softmax", SoftmaxFromOutput.class);
            register("multiply", ExactGeluProduct.class);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static void register(String opName, Class<?> replacement) throws ReflectiveOperationException {
        CustomOpDescriptor op = Nd4j.getExecutioner().getCustomOperations().get(opName);
        DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
        Field single = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClass");
        Field multi = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClasses");
        single.setAccessible(true);
        multi.setAccessible(true);
        Map<Long, Map<String, Class<?>>> byName = (Map<Long, Map<String, Class<?>>>) multi.get(holder);
        if (byName.containsKey(op.getHash())) {
            byName.get(op.getHash()).put(opName, replacement);
        } else {
            ((Map<Long, Class<?>>) single.get(holder)).put(op.getHash(), replacement);
        }
    }
}
