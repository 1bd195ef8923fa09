package dev.adi4j.harness.bench;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.diffusion.nn.RandomParameters;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.diffusion.unet.UNetGraphSpec;
import dev.adi4j.diffusion.vae.AutoencoderKL;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Consumer;

/**
 * The memory check of the networks issue: all three SD 2.1 networks in float32 (random weights, same shapes as
 * the real ones), one prompt encoding and one UNet forward at a given latent size (96 = 768x768 images), with the
 * process's peak RSS reported after each stage.
 */
public final class MemoryBudgetBench {
    private MemoryBudgetBench() {
    }

    public static void run(UNetConfig unetConfig, VaeConfig vaeConfig, ClipTextConfig textConfig, int latent,
                           Consumer<String> log) throws Exception {
        MemoryProbe.resetPeak();
        long t0 = System.nanoTime();
        ClipTextEncoder text = ClipTextEncoder.build(textConfig, new RandomParameters(1, 0.02, false), "random");
        log.accept(stage("text encoder weights", t0));
        AutoencoderKL vae = AutoencoderKL.build(vaeConfig, new RandomParameters(2, 0.02, false));
        log.accept(stage("+ VAE weights", t0));
        try (UNet unet = new UNet(unetConfig, new RandomParameters(3, 0.02, false), null)) {
            int[][] ids = {new int[textConfig.maxPositionEmbeddings()]};
            INDArray context = text.encode(ids);
            log.accept(stage("+ prompt encoded", t0));
            unet.graph(new UNetGraphSpec(1, latent, latent, context.size(1), false, false, false, false));
            log.accept(stage("+ UNet weights and graph", t0));
            INDArray sample = Nd4j.randn(DataType.FLOAT, 1, unetConfig.inChannels(), latent, latent);
            unet.forward(sample, Nd4j.createFromArray(500f), context);
            log.accept(stage("+ UNet forward at " + latent + "x" + latent, t0));
        }
        if (vae.config() == null) throw new IllegalStateException("unreachable: keeps the VAE alive to the end");
    }

    private static String stage(String what, long t0) {
        return String.format("%-70s peak RSS %s, RSS %s, %.0f s", what, MemoryProbe.gib(MemoryProbe.peakRss()),
                MemoryProbe.gib(MemoryProbe.currentRss()), (System.nanoTime() - t0) / 1e9);
    }
}
