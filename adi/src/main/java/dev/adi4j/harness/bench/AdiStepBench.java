package dev.adi4j.harness.bench;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.adi.identifier.LayerWiseObjective;
import dev.adi4j.adi.mask.GradientMasks;
import dev.adi4j.adi.mask.MaskMethod;
import dev.adi4j.adi.mask.MaskScope;
import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.diffusion.nn.RandomParameters;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The ADI step workload (ADI64 in shared/bench/workloads.md): the identifier gradients of the three samples of one
 * step — anchor, context-different, action-different — under one prompt: the text encoder once (16 layer-wise
 * prompts), then per sample the UNet forward+backward w.r.t. the 16 contexts and the text encoder's backward to
 * the identifiers, with the same t — then the masks and the AdamW update, i.e. one whole training step.
 * Random weights of the given configs.
 */
public final class AdiStepBench {
    /** Token id used as the placeholder (random weights: any in-vocabulary id does). */
    static final int PLACEHOLDER = 1000;

    private AdiStepBench() {
    }

    public static Timing.Result run(String name, UNetConfig unetConfig, ClipTextConfig textConfig, int latent, int warmup,
                                    int runs, Consumer<String> log) {
        log.accept("initialising the text encoder and UNet with random weights ...");
        ClipTextEncoder text = ClipTextEncoder.build(textConfig, new RandomParameters(1, 0.02, false), "random");
        try (UNet unet = new UNet(unetConfig, new RandomParameters(3, 0.02, false), null)) {
            LayerWiseObjective objective = new LayerWiseObjective(text, unet);
            int layers = unet.crossAttentionLayers();
            int[] ids = prompt(textConfig);
            INDArray v = Nd4j.randn(DataType.FLOAT, layers, textConfig.hiddenSize()).muli(0.02);
            INDArray t = Nd4j.createFromArray(new float[]{500f});
            java.util.List<LayerWiseObjective.Sample> samples = new java.util.ArrayList<>();
            for (int s = 0; s < 3; s++) {
                samples.add(new LayerWiseObjective.Sample(
                        Nd4j.randn(DataType.FLOAT, 1, unetConfig.inChannels(), latent, latent), t,
                        Nd4j.randn(DataType.FLOAT, 1, unetConfig.outChannels(), latent, latent)));
            }
            log.accept("ADI step (3 samples x " + layers + " identifiers) at " + latent + "x" + latent + " ...");
            GradientMasks masks = new GradientMasks(MaskMethod.ADI, 0.5, MaskScope.TOKEN);
            AdamW adam = new AdamW(AdamW.Settings.torchDefaults());
            int[] call = {0};
            return Timing.measure(name + " ADI" + latent + " step (3 x text+UNet fwd+bwd, masks, AdamW)", warmup, runs, () -> {
                long t0 = System.nanoTime();
                var r = objective.evaluateSamples(ids, PLACEHOLDER, v, samples);
                var masked = masks.compute(r.get(0).gradV(), r.get(1).gradV(), r.get(2).gradV());
                adam.step("identifiers", v, masked.maskedGradient(), 5e-3);
                var phases = objective.lastPhases();
                log.accept(String.format("  step %d: %.1f s (text forward %.1f s, UNet %.1f s, text backward %.1f s),"
                                + " peak RSS so far %s", ++call[0], (System.nanoTime() - t0) / 1e9, phases.textForward(),
                        phases.unet(), phases.textBackward(), MemoryProbe.gib(MemoryProbe.peakRss())));
            });
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** "a photo of a person <A>" shaped: BOS, five words, the placeholder, EOS, padding to the context length. */
    static int[] prompt(ClipTextConfig cfg) {
        int[] ids = new int[cfg.maxPositionEmbeddings()];
        int eos = cfg.eosTokenId();
        Arrays.fill(ids, eos);
        int[] words = {cfg.bosTokenId(), 320, 1125, 539, 320, 2533, PLACEHOLDER, eos};
        System.arraycopy(words, 0, ids, 0, words.length);
        return ids;
    }
}
