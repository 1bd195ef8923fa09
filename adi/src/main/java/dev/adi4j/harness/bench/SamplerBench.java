package dev.adi4j.harness.bench;

import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.diffusion.scheduler.NoiseSource;
import dev.adi4j.diffusion.scheduler.Sampler;
import dev.adi4j.diffusion.scheduler.Samplers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Time of the samplers' own work per denoising step (scale_model_input + step, no network), on a latent of
 * the given size: what a sampler adds to each UNet evaluation.
 */
public final class SamplerBench {
    private SamplerBench() {
    }

    public static List<Timing.Result> run(SchedulerConfig config, int latent, int steps, Timing.Warmup warmup, int runs) {
        List<Timing.Result> results = new ArrayList<>();
        INDArray modelOutput = Nd4j.randn(DataType.FLOAT, 1, 4, latent, latent);
        for (String name : Samplers.names()) {
            Sampler sampler = Samplers.byName(name, config);
            Timing.Result rollout = Timing.measure(name, warmup, runs, () -> {
                sampler.setTimesteps(steps);
                NoiseSource rng = NoiseSource.gaussian(1);
                INDArray x = Nd4j.randn(DataType.FLOAT, 1, 4, latent, latent).muli(sampler.initNoiseSigma());
                for (float t : sampler.timesteps()) {
                    INDArray in = sampler.scaleModelInput(x, t);
                    if (in == null) throw new IllegalStateException("no model input");
                    x = sampler.step(modelOutput, t, x, rng).prevSample();
                }
            });
            int n = sampler.timesteps().length;
            results.add(new Timing.Result(name + " step, latent " + latent + "x" + latent, rollout.medianMs() / n,
                    rollout.minMs() / n, rollout.maxMs() / n, runs, rollout.peakRss(), rollout.offHeap(), rollout.warmup()));
        }
        return results;
    }
}
