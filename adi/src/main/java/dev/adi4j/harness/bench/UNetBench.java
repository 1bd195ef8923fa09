package dev.adi4j.harness.bench;

import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.diffusion.nn.RandomParameters;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The network benchmark of the networks issue: UNet forward (U) and forward+backward w.r.t. the layer-wise
 * contexts (G), batch 1, random weights, for a given config and latent sizes.
 */
public final class UNetBench {
    private UNetBench() {
    }

    /** The workload names of the forward (U) and forward+backward (G) rows. */
    public static String forwardName(String label, int latent, int batch) {
        return label + " U" + latent + (batch > 1 ? " batch " + batch : "") + " forward";
    }

    public static String gradName(String label, int latent, int batch, int layers) {
        return label + " G" + latent + (batch > 1 ? " batch " + batch : "") + " fwd+bwd " + layers + " ctx";
    }

    /**
     * @param label  config name shown in the table (e.g. "tiny", "sd21")
     * @param batch  samples per pass (ADI's three samples of a step could share one pass)
     * @param modes  "fwd" and/or "grad"
     */
    public static List<Timing.Result> run(String label, UNetConfig config, int[] latents, int batch, List<String> modes,
                                          int warmup, int runs, Consumer<String> log) {
        return run(label, config, latents, batch, modes, Timing.Warmup.fixed(warmup), runs, log);
    }

    public static List<Timing.Result> run(String label, UNetConfig config, int[] latents, int batch, List<String> modes,
                                          Timing.Warmup warmup, int runs, Consumer<String> log) {
        List<Timing.Result> results = new ArrayList<>();
        for (int size : latents) {
            // a fresh UNet per latent size: its graphs (and their memory) go with it, so the 64x64 rows do not
            // carry the 32x32 graphs
            log.accept("initialising " + label + " UNet with random weights ...");
            try (UNet unet = new UNet(config, new RandomParameters(42, 0.02, false), null)) {
                int layers = unet.crossAttentionLayers();
                INDArray sample = Nd4j.randn(DataType.FLOAT, batch, config.inChannels(), size, size);
                INDArray t = Nd4j.valueArrayOf(new long[]{batch}, 500f);
                INDArray target = Nd4j.randn(DataType.FLOAT, batch, config.outChannels(), size, size);
                List<INDArray> contexts = new ArrayList<>();
                for (int k = 0; k < layers; k++) {
                    contexts.add(Nd4j.randn(DataType.FLOAT, batch, 77, config.crossAttentionDim()));
                }
                if (modes.contains("fwd")) {
                    log.accept(label + " forward " + size + "x" + size + " ...");
                    results.add(Timing.measure(forwardName(label, size, batch), warmup, runs,
                            () -> unet.forward(sample, t, contexts.get(0))));
                    log.accept(results.get(results.size() - 1).row());
                }
                if (modes.contains("grad")) {
                    log.accept(label + " forward+backward (" + layers + " contexts) " + size + "x" + size + " ...");
                    results.add(Timing.measure(gradName(label, size, batch, layers), warmup, runs,
                            () -> unet.lossGradients(sample, t, contexts, target, false)));
                    log.accept(results.get(results.size() - 1).row());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return results;
    }
}
