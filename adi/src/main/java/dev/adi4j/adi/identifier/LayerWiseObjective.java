package dev.adi4j.adi.identifier;

import dev.adi4j.diffusion.identifier.LayerWiseEncoder;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The denoising loss of layer-wise identifiers and its gradient with respect to them (P+ / ADI): cross-attention
 * layer k sees the prompt encoded with identifier v_k at the placeholder token. The chain rule is applied in two
 * graphs — UNet backward gives dL/d context_k, the text encoder's backward maps those to dL/d v_k — so neither
 * graph holds the other's activations and network weights stay frozen.
 */
public final class LayerWiseObjective {
    private final LayerWiseEncoder encoder;
    private final UNet unet;
    private volatile PhaseSeconds lastPhases = new PhaseSeconds(0, 0, 0);

    /** Wall time of the last {@link #evaluateSamples} by phase: text forward, UNet passes, text backward passes. */
    public record PhaseSeconds(double textForward, double unet, double textBackward) {
    }

    public LayerWiseObjective(ClipTextEncoder text, UNet unet) {
        this.encoder = new LayerWiseEncoder(text, unet.crossAttentionLayers());
        this.unet = unet;
    }

    /** The phase times of the last {@link #evaluateSamples} call. */
    public PhaseSeconds lastPhases() { return lastPhases; }

    /** Loss, its gradient w.r.t. the identifiers [layers, D], and the intermediate tensors (for checks). */
    public record Result(double loss, INDArray gradV, INDArray contexts, INDArray unetOutput) {
    }

    /**
     * @param ids           one tokenized prompt [L] containing {@code placeholderId}
     * @param placeholderId the token id whose embedding the identifiers replace
     * @param v             identifiers [layers, D], one per cross-attention layer in forward execution order
     * @param noisyLatents  z_t [1, C, h, w]
     * @param timestep      t as a [1] array
     * @param target        the regression target (velocity or noise) [1, C, h, w]
     */
    public Result evaluate(int[] ids, int placeholderId, INDArray v, INDArray noisyLatents, INDArray timestep,
                           INDArray target) {
        return evaluateSamples(ids, placeholderId, v, List.of(new Sample(noisyLatents, timestep, target))).get(0);
    }

    /** One training sample: z_t [1, C, h, w], t [1] and the regression target [1, C, h, w]. */
    public record Sample(INDArray noisyLatents, INDArray timestep, INDArray target) {
    }

    /**
     * {@link #evaluate} for several samples under the same prompt and identifiers — ADI's anchor,
     * context-different and action-different samples of one step: the prompt is encoded once for all of them.
     */
    public List<Result> evaluateSamples(int[] ids, int placeholderId, INDArray v, List<Sample> samples) {
        int layers = unet.crossAttentionLayers();
        if (v.rank() != 2 || v.size(0) != layers) {
            throw new IllegalArgumentException("expected " + layers + " identifiers [" + layers + ", D], got "
                    + Arrays.toString(v.shape()));
        }
        if (Arrays.stream(ids).noneMatch(id -> id == placeholderId)) {
            throw new IllegalArgumentException("the prompt does not contain the placeholder token id " + placeholderId);
        }
        long t0 = System.nanoTime();
        // The encoding is kept for the backward passes: one text-encoder forward for the prompt and the three
        // samples' gradients (SameDiff's gradient function alone would encode again per sample).
        try (ClipTextEncoder.IdentifierGradients text = encoder.encodeForGradients(ids, placeholderId, v)) {
            INDArray contexts = text.lastHiddenState();
            List<INDArray> perLayer = LayerWiseEncoder.perLayer(contexts);
            long t1 = System.nanoTime();
            // All UNet passes first, then all text-encoder passes: memory one gradient graph frees is poorly reused
            // by the other (alternating them grew the resident set by ~3 GB per UNet pass, SD 2.1 at 64x64, before
            // the UNet backward was checkpointed).
            List<UNet.LossGradients> unetGrads = new ArrayList<>(samples.size());
            for (Sample sample : samples) {
                unetGrads.add(unet.lossGradients(sample.noisyLatents(), sample.timestep(), perLayer, sample.target(),
                        false));
            }
            long t2 = System.nanoTime();
            List<Result> results = new ArrayList<>(samples.size());
            for (UNet.LossGradients g : unetGrads) {
                INDArray upstream = Nd4j.concat(0, g.contextGradients().toArray(INDArray[]::new));
                results.add(new Result(g.loss(), text.gradV(upstream), contexts, g.output()));
            }
            lastPhases = new PhaseSeconds((t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
            return results;
        }
    }
}
