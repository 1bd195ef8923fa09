package dev.adi4j.diffusion.vae;

import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.diffusion.nn.RandomParameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;

/**
 * Benchmark (not a test): full-size SD 2.1 VAE with random weights, encode of a [1,3,S,S] image and decode of a
 * [1,4,S/8,S/8] latent. Args: shared folder, image side (default 256), repetitions (default 3).
 */
public final class VaeBench {
    public static void main(String[] args) {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        int side = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        VaeConfig config = Configs.read(shared.resolve("fixtures/manifests/sd21-vae-config.json"), VaeConfig.class);
        long t0 = System.nanoTime();
        AutoencoderKL vae = AutoencoderKL.build(config, new RandomParameters(7, 0.02, false));
        System.out.printf("build: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, side, side).muli(2).subi(1);
        INDArray latent = Nd4j.randn(DataType.FLOAT, 1, 4, side / 8, side / 8);
        for (int i = 0; i < reps; i++) {
            long a = System.nanoTime();
            vae.encode(image);
            long b = System.nanoTime();
            vae.decode(latent);
            long c = System.nanoTime();
            System.out.printf("rep %d: encode %dx%d %.0f ms, decode %.0f ms, RSS %d MB%n", i, side, side,
                    (b - a) / 1e6, (c - b) / 1e6, rssMb());
        }
    }

    private static long rssMb() {
        try {
            for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
            }
        } catch (java.io.IOException ignored) {
            // not on Linux: no RSS figure
        }
        return -1;
    }
}
