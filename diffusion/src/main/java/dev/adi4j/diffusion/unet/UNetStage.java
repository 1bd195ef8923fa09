package dev.adi4j.diffusion.unet;

import dev.adi4j.diffusion.nn.Tensor;

/**
 * One piece of the UNet forward pass between two checkpoints (a resnet with its transformer, a resampler,
 * conv_in, the mid block, the output head). The whole forward is these stages in order over a running state
 * and a stack of skip connections; gradient checkpointing recomputes one stage at a time.
 *
 * @param name     the module path it covers, for messages (e.g. {@code down_blocks.0.layer1})
 * @param skipUse  how the stage touches the skip stack
 * @param contexts how many cross-attention layers it contains (layer-wise contexts it consumes)
 * @param body     the stage's graph
 */
record UNetStage(String name, SkipUse skipUse, int contexts, Body body) {

    /** How a stage uses the skip-connection stack. */
    enum SkipUse {
        /** neither reads nor writes it */
        NONE,
        /** its output is also pushed as a skip connection (down path) */
        PUSH,
        /** concatenates the most recent unused skip connection onto its input (up path) */
        POP,
        /** resizes to the spatial size of the most recent unused skip connection (upsamplers) */
        PEEK
    }

    /** The stage's computation on graph values. */
    @FunctionalInterface
    interface Body {
        Tensor apply(Input in);
    }

    /**
     * What a stage reads.
     *
     * @param hidden   the running state
     * @param skip     the popped skip connection ({@link SkipUse#POP} only, else null)
     * @param resizeTo target (h, w) of an upsampler when the latent size is not a multiple of the UNet's
     *                 total downsampling, else null (double)
     * @param temb     the time embedding
     * @param contexts the contexts of this stage's cross-attention layers, in order
     */
    record Input(Tensor hidden, Tensor skip, long[] resizeTo, Tensor temb, Contexts contexts) {
    }
}
