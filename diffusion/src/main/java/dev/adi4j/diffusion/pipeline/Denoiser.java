package dev.adi4j.diffusion.pipeline;

import dev.adi4j.diffusion.scheduler.NoiseSource;
import dev.adi4j.diffusion.scheduler.Sampler;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The sampling loop of StableDiffusionPipeline: classifier-free guidance by running the unconditional and the
 * conditional branch as one batch (unconditional rows first, as diffusers does), guided = u + g (c - u), then the
 * sampler's step. Prompt encodings are computed once by the caller and reused at every step; the UNet graph is
 * built once per shape.
 */
public final class Denoiser {
    private final UNet unet;

    public Denoiser(UNet unet) {
        this.unet = unet;
    }

    /**
     * @param latents   initial latents [B, C, h, w], already multiplied by the sampler's init noise sigma
     * @param positive  conditioning of the prompt (batch 1, repeated for every image)
     * @param negative  conditioning of the negative prompt (batch 1); unused when guidance <= 1
     * @param sampler   a sampler whose {@code setTimesteps} was called for this rollout
     * @param rng       noise for stochastic samplers (may be null for deterministic ones)
     * @return the final latents
     */
    public INDArray run(INDArray latents, Conditioning positive, Conditioning negative, double guidance,
                        Sampler sampler, NoiseSource rng, StepListener listener) {
        boolean cfg = guidance > 1.0;
        long b = latents.size(0);
        int layers = unet.crossAttentionLayers();
        boolean layerWise = positive.isLayerWise() || (cfg && negative.isLayerWise());
        List<INDArray> contexts = new ArrayList<>();
        for (int k = 0; k < (layerWise ? layers : 1); k++) {
            INDArray pos = repeat(positive.layer(k), b);
            contexts.add(cfg ? Nd4j.concat(0, repeat(negative.layer(k), b), pos) : pos);
        }
        float[] timesteps = sampler.timesteps();
        INDArray x = latents;
        for (int i = 0; i < timesteps.length; i++) {
            float t = timesteps[i];
            INDArray in = sampler.scaleModelInput(x, t);
            INDArray batch = cfg ? Nd4j.concat(0, in, in) : in;
            INDArray ts = Nd4j.valueArrayOf(new long[]{batch.size(0)}, t, DataType.FLOAT);
            INDArray out = layerWise ? unet.forwardLayerWise(batch, ts, contexts) : unet.forward(batch, ts, contexts.get(0));
            INDArray guided = out;
            if (cfg) {
                INDArray uncond = out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, b));
                INDArray cond = out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, 2 * b));
                guided = uncond.add(cond.sub(uncond).muli(guidance));
            }
            x = sampler.step(guided, t, x, rng).prevSample();
            listener.onStep(i, timesteps.length, t, out, x);
        }
        return x;
    }

    private static INDArray repeat(INDArray context, long times) {
        if (context.size(0) == times) return context;
        if (context.size(0) != 1) {
            throw new IllegalArgumentException("a prompt conditioning must have batch 1, got " + context.size(0));
        }
        INDArray[] copies = new INDArray[(int) times];
        java.util.Arrays.fill(copies, context);
        return times == 1 ? context : Nd4j.concat(0, copies);
    }
}
