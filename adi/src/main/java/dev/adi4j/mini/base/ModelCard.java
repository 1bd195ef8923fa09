package dev.adi4j.mini.base;

import java.util.Locale;

/** The README.md of an exported mini base model: what it is, how it was trained and how to reproduce it. */
final class ModelCard {
    private ModelCard() {
    }

    /** {@code steps}: where the weights are (an export at a checkpoint may be past the run's --steps). */
    static String text(BaseTrainConfig c, long steps, TrainLogSummary log) {
        MiniModelConfig m = c.model();
        return String.format(Locale.ROOT, """
                # adi4j mini-world base model

                A text-to-image model of the mini action world (`dev.adi4j.mini.world`), trained from scratch by
                `dev.adi4j.mini.base.BaseModelTrainer`. Same network code as Stable Diffusion 2.1
                (UNet2DConditionModel, CLIPTextModel) at a small config.

                ## Architecture
                - Images: %dx%d RGB in [-1, 1], **no VAE**: a fixed, lossless space-to-depth codec (PyTorch
                  `pixel_unshuffle(%d)`, `codec.json`) maps them to %dx%dx%d; the UNet denoises that tensor and
                  the pipeline decodes with the exact inverse reshape.
                - UNet: block_out_channels %s, layers_per_block %d, cross-attention on every level but the deepest.
                - Text encoder: CLIP, %d layers, %d wide, %d heads, context %d tokens; word-level tokenizer
                  (`tokenizer/`, "WordLevel") over the captions' words. Held out from language: %s.
                - Scheduler: DDIM config, cosine (`squaredcos_cap_v2`) schedule, %s.

                ## Training
                - Trained: every UNet weight and the token embeddings; the text encoder's transformer is frozen at
                  its random initialisation. Weights exported: the EMA (decay %s).
                - Loss: MSE to the %s target, timesteps uniform in [0, 1000), %.0f%% empty prompts.
                - AdamW lr %s (linear warm-up %d steps, then constant), weight decay %s, grad-norm clip %s,
                  batch %d, %d rendered images (seed %d).
                - Steps: %d. Loss at the end (mean of the last %d steps): %.5f.
                - Training time: %.2f h on 2 CPU cores (sum over `train.log`'s %d progress lines, all sessions).
                - Settings: `%s`

                ## Reproduce
                `bin/adi mini train-base --out RUN --steps %d` (resumable: run it again on the same folder after an
                interruption; the run's settings are checked on resume), then `RUN/model/` is this folder.
                """,
                m.imageSize(), m.imageSize(), m.codecFactor(), m.latentSize(), m.latentSize(), m.latentChannels(),
                m.blockChannels(), m.layersPerBlock(), m.textLayers(), m.textWidth(), m.textHeads(), m.contextLength(),
                c.policy().heldOut(), m.prediction(), c.emaDecay(), m.prediction(), 100 * c.captionDropout(), c.lr(), c.warmupSteps(), c.weightDecay(),
                c.maxGradNorm(), c.batch(), c.datasetSize(), c.seed(), steps, log.finalLossSteps(), log.finalLoss(),
                log.trainSeconds() / 3600, log.windows(), c.withSteps(Math.toIntExact(steps)), steps);
    }
}
