package dev.adi4j.diffusion.text;

import dev.adi4j.testsupport.Shared;
import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.Configs;
import dev.adi4j.diffusion.nn.RandomParameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Benchmark (not a test): the full-size SD 2.1 text encoder with random weights. Times forward for batch 1,
 * and the identifier gradient (forward + backward) for batch 1 and batch 16 (layer-wise identifiers).
 * Run: java -cp ... dev.adi4j.diffusion.text.ClipTextBench [path/to/shared] [repetitions]
 */
public final class ClipTextBench {
    private static final int PLACEHOLDER = 49408;

    public static void main(String[] args) {
        Path shared = (args.length > 0 ? Path.of(args[0]) : dev.adi4j.testsupport.Shared.root());
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ClipTextConfig cfg = Configs.read(shared.resolve("fixtures/manifests/sd21-text-encoder-config.json"),
                ClipTextConfig.class);
        long t0 = System.nanoTime();
        ClipTextEncoder enc = ClipTextEncoder.build(cfg, new RandomParameters(7, 0.02, false), "random");
        System.out.printf("build with random weights: %.1f s%n", (System.nanoTime() - t0) / 1e9);

        int[] row = new int[77];
        row[0] = 49406;
        row[1] = 320;
        row[2] = PLACEHOLDER;
        row[3] = 49407;
        for (int batch : new int[]{1, 16}) {
            int[][] ids = new int[batch][];
            Arrays.fill(ids, row);
            INDArray v = Nd4j.randn(DataType.FLOAT, batch, cfg.hiddenSize()).muli(0.02);
            INDArray upstream = Nd4j.randn(DataType.FLOAT, batch, 77, cfg.hiddenSize());
            if (batch == 1) {
                time("forward   B=1 ", reps, () -> enc.encodeWithOverrides(ids, PLACEHOLDER, v));
            }
            time("fwd+bwd   B=" + batch + (batch < 10 ? " " : ""), reps,
                    () -> enc.gradientWrtIdentifier(ids, PLACEHOLDER, v, upstream));
        }
        System.out.println(Map.of("threads", Runtime.getRuntime().availableProcessors()));
    }

    private static void time(String label, int reps, Runnable r) {
        long first = System.nanoTime();
        r.run();
        double firstMs = (System.nanoTime() - first) / 1e6;
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%s first %.0f ms, median of %d %.0f ms%n", label, firstMs, reps, ms[reps / 2]);
    }
}
