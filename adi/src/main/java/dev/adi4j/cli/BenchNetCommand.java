package dev.adi4j.cli;

import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.harness.bench.SamplerBench;
import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.harness.bench.MemoryBudgetBench;
import dev.adi4j.harness.bench.Timing;
import dev.adi4j.harness.bench.UNetBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code adi bench-net}: times UNet forward and forward+backward w.r.t. the layer-wise contexts with warm-up
 * and medians, and reports peak memory. A benchmark, never a test.
 */
@Command(name = "bench-net", mixinStandardHelpOptions = true,
        description = "Benchmark the UNet: forward, and forward+backward w.r.t. the layer-wise contexts (random weights; --batch samples per pass).")
public final class BenchNetCommand implements Callable<Integer> {
    @Option(names = "--config", split = ",", defaultValue = "tiny",
            description = "UNet config.json files, or 'tiny' / 'sd21' for the shared fixtures' configs (default: ${DEFAULT-VALUE})")
    List<String> configs;

    @Option(names = "--latent", split = ",", defaultValue = "32,64", description = "latent sizes (default: ${DEFAULT-VALUE})")
    int[] latents;

    @Option(names = "--mode", split = ",", defaultValue = "fwd,grad", description = "fwd, grad and/or sampler (the samplers' own time per step, SD 2.1 schedule) (default: ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--batch", defaultValue = "1", description = "samples per UNet pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--warmup", defaultValue = "2") int warmup;
    @Option(names = "--runs", defaultValue = "5") int runs;

    @Option(names = "--shared", defaultValue = "../shared", description = "the shared folder with fixtures/ (for 'tiny'/'sd21')")
    Path shared;

    @Option(names = "--memory-check", paramLabel = "LATENT",
            description = "instead: load the full SD 2.1 text encoder, VAE and UNet (random float32 weights), encode a prompt "
                    + "and run one UNet forward at LATENTxLATENT (96 = 768x768), reporting peak RSS per stage")
    Integer memoryCheck;

    private static final List<String> MODES = List.of("fwd", "grad", "sampler");

    /** Every flag, checked before any graph is built. */
    void checkFlags() {
        for (int l : latents) Flags.atLeast("--latent", l, 1);
        Flags.atLeast("--batch", batch, 1);
        Flags.atLeast("--warmup", warmup, 0);
        Flags.atLeast("--runs", runs, 1);
        for (String m : modes) Flags.oneOf("--mode", m, MODES);
        if (memoryCheck != null) Flags.atLeast("--memory-check", memoryCheck, 1);
        for (String c : configs) {
            if (!c.equals("tiny") && !c.equals("sd21") && !java.nio.file.Files.isRegularFile(Path.of(c))) {
                throw new UserException("--config '" + c + "': neither 'tiny', 'sd21' nor an existing config.json file");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        checkFlags();
        if (memoryCheck != null) {
            Path m = shared.resolve("fixtures/manifests");
            MemoryBudgetBench.run(Configs.read(m.resolve("sd21-unet-config.json"), UNetConfig.class),
                    Configs.read(m.resolve("sd21-vae-config.json"), VaeConfig.class),
                    Configs.read(m.resolve("sd21-text-encoder-config.json"), ClipTextConfig.class), memoryCheck,
                    System.out::println);
            return 0;
        }
        System.err.println("ND4J natives: " + dev.adi4j.harness.bench.NativesInfo.describe());
        List<Timing.Result> all = new ArrayList<>();
        if (modes.contains("sampler")) {
            SchedulerConfig sched = Configs.read(shared.resolve("fixtures/tiny-sd/scheduler/scheduler_config.json"),
                    SchedulerConfig.class);
            for (int size : latents) all.addAll(SamplerBench.run(sched, size, 25, warmup, runs));
        }
        for (String c : modes.stream().anyMatch(m -> !m.equals("sampler")) ? configs : List.<String>of()) {
            Path file = switch (c) {
                case "tiny" -> shared.resolve("fixtures/tiny-sd/unet/config.json");
                case "sd21" -> shared.resolve("fixtures/manifests/sd21-unet-config.json");
                default -> Path.of(c);
            };
            UNetConfig config = Configs.read(file, UNetConfig.class);
            all.addAll(UNetBench.run(c, config, latents, batch, modes, warmup, runs, System.err::println));
        }
        System.out.println(Timing.Result.header());
        all.forEach(r -> System.out.println(r.row()));
        return 0;
    }
}
