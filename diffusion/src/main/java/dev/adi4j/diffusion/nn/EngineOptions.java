package dev.adi4j.diffusion.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The engine's switches, read once from system properties ({@code -Dadi4j.*}) so that every workaround can be
 * turned off for a measurement without a rebuild. {@code adi info} prints them; docs/engine.md says what each
 * workaround fixes and what was measured.
 *
 * @param unetCheckpointing        {@code adi4j.unet.checkpointing}: UNet gradients stage by stage (default true)
 *                                 for passes at least {@code unetCheckpointMinElements} large
 * @param stockNorm                {@code adi4j.stockNorm}: keep the composed GroupNorm/LayerNorm graph everywhere
 * @param stockGradients           {@code adi4j.stockGradients}: SameDiff's own conv2d/matmul backward (weight
 *                                 gradients included) instead of the frozen-weight ones
 * @param textBackwardRows         {@code adi4j.text.backwardRows}: rows per text-encoder backward pass; 0 (default)
 *                                 = by size, the activations of 4 SD 2.1 rows per pass
 * @param textGradientCacheMB      {@code adi4j.text.gradientCacheMB}: cap of SameDiff's array cache in the
 *                                 text encoder's backward (default 1024)
 * @param attentionMaxScoreElements {@code adi4j.attention.maxScoreElements}: attention scores per query chunk
 *                                 (default 2^26)
 * @param sessionMemory            {@code adi4j.sessionMemory}: {@code release} or {@code cache}; unset = release
 *                                 exactly when jemalloc is the allocator
 * @param planExecutor             {@code adi4j.executor}: {@code plan} (default) runs built graphs through
 *                                 {@link ExecutionPlan}, {@code samediff} through SameDiff's session
 * @param planMaxArenaMB           {@code adi4j.plan.maxArenaMB}: graphs whose intermediates need more stay with
 *                                 SameDiff's session (default 512)
 * @param unetCheckpointMinElements {@code adi4j.unet.checkpointMinElements}: a UNet pass is checkpointed only when
 *                                 batch x height x width x the first level's channels reaches this (default
 *                                 2^20: SD 2.1 at 64x64 latents and up; the tiny models and the mini world's batch-32
 *                                 training below it, where
 *                                 checkpointing only costs its extra forward)
 * @param planParallelElements     {@code adi4j.plan.parallelElements}: a plan runs on every thread only when its ops
 *                                 average at least this many elements (largest operand), else on one (default
 *                                 50000)
 * @param blasThreads              {@code adi4j.blasThreads}: OpenBLAS's own thread count (default 1; 0 leaves
 *                                 OpenBLAS's default), see {@link BlasThreads}
 * @param textPlanMaxArenaMB       {@code adi4j.text.planMaxArenaMB}: the text encoder's plans are kept up to this
 *                                 arena size (default 4096: its gradient plans run every training step at the same
 *                                 shapes; SD 2.1's 16 layer-wise rows need ~2.9 GB)
 * @param unetKeepActivationsBelowPositions {@code adi4j.unet.keepActivationsBelowPositions}: in a checkpointed UNet
 *                                 pass, stages whose running state has fewer positions (batch x height x width) keep
 *                                 their activations instead of recomputing them (default 256: SD 2.1 at 64x64 keeps
 *                                 its 8x8 stages and the mid block; 0 recomputes every stage)
 */
public record EngineOptions(boolean unetCheckpointing, boolean stockNorm, boolean stockGradients, int textBackwardRows,
                            long textGradientCacheMB, long attentionMaxScoreElements, String sessionMemory,
                            boolean planExecutor, long planMaxArenaMB, long planParallelElements,
                            long unetCheckpointMinElements, int blasThreads, long textPlanMaxArenaMB,
                            long unetKeepActivationsBelowPositions) {

    private static final class Holder {
        static final EngineOptions CURRENT = from(System::getProperty);
    }

    /** The options of this process (system properties as they were at first use). */
    public static EngineOptions current() {
        return Holder.CURRENT;
    }

    /** Reads the options through {@code property} (a system-property lookup); a bad value names the property. */
    public static EngineOptions from(UnaryOperator<String> property) {
        String session = property.apply("adi4j.sessionMemory");
        if (session != null && !session.equals("release") && !session.equals("cache")) {
            throw new IllegalArgumentException("-Dadi4j.sessionMemory must be release or cache, got '" + session + "'");
        }
        String executor = property.apply("adi4j.executor");
        if (executor != null && !executor.equals("plan") && !executor.equals("samediff")) {
            throw new IllegalArgumentException("-Dadi4j.executor must be plan or samediff, got '" + executor + "'");
        }
        return new EngineOptions(
                bool(property, "adi4j.unet.checkpointing", true),
                bool(property, "adi4j.stockNorm", false),
                bool(property, "adi4j.stockGradients", false),
                (int) positive(property, "adi4j.text.backwardRows", 0),
                positive(property, "adi4j.text.gradientCacheMB", 1024),
                positive(property, "adi4j.attention.maxScoreElements", 1L << 26),
                session,
                executor == null || executor.equals("plan"),
                positive(property, "adi4j.plan.maxArenaMB", 512),
                positive(property, "adi4j.plan.parallelElements", 50_000),
                positive(property, "adi4j.unet.checkpointMinElements", 1L << 20),
                (int) nonNegative(property, "adi4j.blasThreads", 1),
                positive(property, "adi4j.text.planMaxArenaMB", 4096),
                nonNegative(property, "adi4j.unet.keepActivationsBelowPositions", 256));
    }

    /** Property name -> effective value, for {@code adi info}. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("adi4j.unet.checkpointing", Boolean.toString(unetCheckpointing));
        m.put("adi4j.stockNorm", Boolean.toString(stockNorm));
        m.put("adi4j.stockGradients", Boolean.toString(stockGradients));
        m.put("adi4j.text.backwardRows", textBackwardRows == 0 ? "auto (4 SD 2.1 rows of activations per pass)"
                : Integer.toString(textBackwardRows));
        m.put("adi4j.text.gradientCacheMB", Long.toString(textGradientCacheMB));
        m.put("adi4j.attention.maxScoreElements", Long.toString(attentionMaxScoreElements));
        m.put("adi4j.sessionMemory", sessionMemory == null ? "auto (release with jemalloc)" : sessionMemory);
        m.put("adi4j.executor", planExecutor ? "plan" : "samediff");
        m.put("adi4j.plan.maxArenaMB", Long.toString(planMaxArenaMB));
        m.put("adi4j.plan.parallelElements", Long.toString(planParallelElements));
        m.put("adi4j.unet.checkpointMinElements", Long.toString(unetCheckpointMinElements));
        m.put("adi4j.blasThreads", blasThreads == 0 ? "OpenBLAS's default" : Integer.toString(blasThreads));
        m.put("adi4j.text.planMaxArenaMB", Long.toString(textPlanMaxArenaMB));
        m.put("adi4j.unet.keepActivationsBelowPositions", Long.toString(unetKeepActivationsBelowPositions));
        return m;
    }

    private static boolean bool(UnaryOperator<String> property, String name, boolean dflt) {
        String v = property.apply(name);
        if (v == null) return dflt;
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("-D" + name + " must be true or false, got '" + v + "'");
    }

    private static long positive(UnaryOperator<String> property, String name, long dflt) {
        return atLeast(property, name, dflt, 1, "a positive integer");
    }

    private static long nonNegative(UnaryOperator<String> property, String name, long dflt) {
        return atLeast(property, name, dflt, 0, "0 or a positive integer");
    }

    private static long atLeast(UnaryOperator<String> property, String name, long dflt, long min, String expected) {
        String v = property.apply(name);
        if (v == null) return dflt;
        try {
            long n = Long.parseLong(v.trim());
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + name + " must be " + expected + ", got '" + v + "'");
    }
}
