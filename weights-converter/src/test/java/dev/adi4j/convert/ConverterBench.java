package dev.adi4j.convert;

import dev.adi4j.core.safetensors.DType;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark (a main class, not a test): full-size SD 2.1 single-file conversion.
 * {@code generate FILE}: writes a random-weights checkpoint with the key list and shapes of the shared
 * sd21-*-original.tsv manifests (~5.2 GB, F32) plus a few drop-list keys.
 * {@code convert FILE OUT}: converts it (config sd21, tokenizer from shared/vocab's BPE file) and prints the
 * time, throughput, peak RSS (VmHWM) and peak heap. Run the two in separate JVMs so the peaks are the
 * conversion's own.
 */
public final class ConverterBench {
    private ConverterBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("generate")) {
            generate(Path.of(args[1]));
        } else if (args.length >= 3 && args[0].equals("convert")) {
            convert(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length >= 2 && args[0].equals("verify")) {
            long start = System.nanoTime();
            Verifier.Report r = Verifier.verify(Path.of(args[1]));
            r.print(System.out);
            System.out.printf("verified in %.1f s, peak RSS %s%n", (System.nanoTime() - start) / 1e9,
                    gib(peakRssBytes()));
        } else {
            System.err.println("usage: ConverterBench generate FILE | convert FILE OUT | verify OUT");
            System.exit(2);
        }
    }

    private static void generate(Path file) throws java.io.IOException {
        Map<String, long[]> shapes = new TreeMap<>();
        for (String m : List.of("sd21-unet-original.tsv", "sd21-vae-original.tsv", "sd21-text-encoder-original.tsv")) {
            shapes.putAll(Fixtures.shapes(Fixtures.manifest(m)));
        }
        shapes.put("alphas_cumprod", new long[]{1000});
        shapes.put("betas", new long[]{1000});
        SafetensorsWriter w = new SafetensorsWriter();
        Nd4j.getRandom().setSeed(1);
        INDArray[] previous = new INDArray[1];
        shapes.forEach((k, s) -> w.addLazy(k, s, DType.F32, () -> {
            if (previous[0] != null) previous[0].close();
            previous[0] = Nd4j.rand(DataType.FLOAT, s).subi(0.5).muli(0.02);
            return previous[0];
        }));
        long start = System.nanoTime();
        w.write(file);
        System.out.printf("generated %s: %d tensors, %.2f GB in %.1f s%n", file, shapes.size(),
                file.toFile().length() / 1e9, (System.nanoTime() - start) / 1e9);
    }

    private static void convert(Path file, Path out) throws Exception {
        long start = System.nanoTime();
        Converter.Summary s = new Converter().convert(new Converter.Options(file, out, null, "sd21",
                Fixtures.shared().resolve("vocab/bpe_simple_vocab_16e6.txt.gz"), true), (i, n, c, name, bytes) -> {
            if (i % 100 == 0 || i == n) System.err.printf("tensor %d of %d%n", i, n);
        });
        double sec = (System.nanoTime() - start) / 1e9;
        long peakHeap = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peakHeap += p.getPeakUsage().getUsed();
        }
        System.out.printf("converted %d tensors, %.2f GB in %.1f s (%.0f MB/s)%n", s.tensors(), s.bytes() / 1e9, sec,
                s.bytes() / 1e6 / sec);
        System.out.printf("peak RSS (VmHWM) %s, peak heap (sum of pool peaks) %s, max heap %s%n",
                gib(peakRssBytes()), gib(peakHeap),
                gib(Runtime.getRuntime().maxMemory()));
        System.out.printf("output size %.2f GB%n", Files.walk(out).filter(Files::isRegularFile)
                .mapToLong(p -> p.toFile().length()).sum() / 1e9);
    }

    /** VmHWM of /proc/self/status (the converter sits below the harness, whose MemoryProbe it cannot use). */
    private static long peakRssBytes() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1);
    }

    private static String gib(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
