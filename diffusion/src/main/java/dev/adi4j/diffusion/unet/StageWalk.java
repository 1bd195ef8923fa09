package dev.adi4j.diffusion.unet;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Runs the UNet's stages in order, keeping the skip-connection stack, over values of any kind: graph tensors
 * when the whole forward is built as one graph, arrays when a checkpointed pass runs stage by stage. The
 * bookkeeping (what is pushed, popped, and which size an upsampler must meet) lives only here.
 */
final class StageWalk {
    private StageWalk() {
    }

    /** Executes one stage on values of type V. */
    interface Executor<V> {
        /**
         * @param index        the stage's position in the forward order
         * @param hidden       the running state
         * @param skip         the popped skip connection, or null
         * @param resizeTo     an upsampler's explicit target size, or null
         * @param firstContext index of the stage's first cross-attention layer in the forward order
         */
        V apply(int index, UNetStage stage, V hidden, V skip, long[] resizeTo, int firstContext);

        long[] shape(V value);
    }

    /**
     * @param downsampling the UNet's total downsampling factor (2^(levels-1)); latent sizes that are not a
     *                     multiple of it make each upsampler resize to its skip connection, as the reference does
     * @return the last stage's output
     */
    static <V> V run(List<UNetStage> stages, V sample, long downsampling, Executor<V> executor) {
        long[] s = executor.shape(sample);
        boolean explicitSizes = s[2] % downsampling != 0 || s[3] % downsampling != 0;
        Deque<V> skips = new ArrayDeque<>();
        V hidden = sample;
        int context = 0;
        for (int i = 0; i < stages.size(); i++) {
            UNetStage stage = stages.get(i);
            V skip = stage.skipUse() == UNetStage.SkipUse.POP ? skips.removeLast() : null;
            long[] resizeTo = null;
            if (stage.skipUse() == UNetStage.SkipUse.PEEK && explicitSizes) {
                long[] target = executor.shape(skips.peekLast());
                resizeTo = new long[]{target[2], target[3]};
            }
            hidden = executor.apply(i, stage, hidden, skip, resizeTo, context);
            context += stage.contexts();
            if (stage.skipUse() == UNetStage.SkipUse.PUSH) skips.add(hidden);
        }
        if (!skips.isEmpty()) {
            throw new IllegalStateException(skips.size() + " skip connections left unused by the up path");
        }
        return hidden;
    }
}
