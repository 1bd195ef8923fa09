package dev.adi4j.cli;

import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.io.AtomicWrite;
import dev.adi4j.harness.bench.BlockBench;
import dev.adi4j.harness.bench.Timing;
import dev.adi4j.harness.bench.UNetBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code adi bench}: the benchmark workloads of {@code shared/bench/workloads.md}. The block suite (R1, A1, T1)
 * can run PyTorch's side ({@code shared/bench/torch_blocks.py}) with the same thread count and prints one
 * side-by-side table; the model suite is the SD 2.1 UNet benchmark of {@code bench-net}. A benchmark, never a test.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the workloads of shared/bench/workloads.md (blocks R1/A1/T1, optionally side by side with PyTorch; the SD 2.1 UNet).")
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--suite", defaultValue = "blocks",
            description = "blocks, model (SD 2.1 UNet U32/U64/G32/G64), adi (one SD 2.1 ADI step: 3 x text encoder + UNet "
                    + "fwd+bwd w.r.t. 16 identifiers) or all (default: ${DEFAULT-VALUE})")
    String suite;

    @Option(names = "--workload", split = ",", defaultValue = "R1,A1,T1", description = "block workloads (default: ${DEFAULT-VALUE})")
    List<String> workloads;

    @Option(names = "--warmup", defaultValue = "2") int warmup;
    @Option(names = "--runs", defaultValue = "5") int runs;

    @Option(names = "--shared", defaultValue = "../shared", description = "the shared folder with bench/ and fixtures/")
    Path shared;

    @Option(names = "--torch", description = "also run shared/bench/torch_blocks.py for the block workloads and compare")
    boolean torch;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "the Python with torch (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--out", description = "also write the table as markdown to this file")
    Path out;

    @Option(names = "--force", description = "replace an existing --out file")
    boolean force;

    @Option(names = "--size", defaultValue = "" + BlockBench.FULL_SIZE,
            description = "R1's spatial size, smaller for quick runs (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--tokens", defaultValue = "" + BlockBench.FULL_TOKENS,
            description = "A1/T1's token count, smaller for quick runs (default: ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--adi-latent", defaultValue = "64", description = "latent size of the adi suite's step (default: ${DEFAULT-VALUE})")
    int adiLatent;
    @Option(names = "--adi-model", defaultValue = "sd21", description = "sd21 or tiny (shared/fixtures/tiny-sd's configs), random weights (default: ${DEFAULT-VALUE})")
    String adiModel;

    @Override
    public Integer call() throws Exception {
        validate();
        boolean blocks = suite.equals("blocks") || suite.equals("all");
        boolean model = suite.equals("model") || suite.equals("all");
        boolean adi = suite.equals("adi") || suite.equals("all");
        System.err.println("ND4J natives: " + dev.adi4j.harness.bench.NativesInfo.describe());
        List<String> footer = new ArrayList<>();
        List<BenchTable.Row> rows = new ArrayList<>();
        int threads = BlockBench.threads();
        if (blocks) {
            Map<String, TorchOutput.Measurement> torchResults = new HashMap<>();
            List<Timing.Result> results = BlockBench.run(workloads, size, tokens, warmup, runs, System.err::println);
            if (torch) torchResults = runTorch(threads, footer);
            for (Timing.Result r : results) rows.add(new BenchTable.Row(r, torchResults.get(r.workload())));
        }
        if (model) {
            UNetConfig config = Configs.read(shared.resolve("fixtures/manifests/sd21-unet-config.json"), UNetConfig.class);
            for (Timing.Result r : UNetBench.run("sd21", config, new int[]{32, 64}, 1, List.of("fwd", "grad"), warmup, runs,
                    System.err::println)) {
                rows.add(new BenchTable.Row(r, null));
            }
        }
        if (adi) {
            boolean tiny = adiModel.equals("tiny");
            Path unetConfig = tiny ? shared.resolve("fixtures/tiny-sd/unet/config.json")
                    : shared.resolve("fixtures/manifests/sd21-unet-config.json");
            Path textConfig = tiny ? shared.resolve("fixtures/tiny-sd/text_encoder/config.json")
                    : shared.resolve("fixtures/manifests/sd21-text-encoder-config.json");
            rows.add(new BenchTable.Row(dev.adi4j.harness.bench.AdiStepBench.run(adiModel,
                    Configs.read(unetConfig, UNetConfig.class),
                    Configs.read(textConfig, dev.adi4j.core.config.ClipTextConfig.class),
                    adiLatent, warmup, runs, System.err::println), null));
        }
        footer.add("ND4J natives: " + dev.adi4j.harness.bench.NativesInfo.describe());
        footer.add(String.format("adi4j: %d ND4J threads, %d warm-up + %d runs, median; %s; peak RSS = the JVM's VmHWM "
                        + "reset (clear_refs 5) before each row's warm-up, so it includes the JVM and whatever was already "
                        + "resident (the block's weights, earlier garbage).", threads, warmup, runs, allocator()));
        if (blocks && (size != BlockBench.FULL_SIZE || tokens != BlockBench.FULL_TOKENS)) {
            footer.add("Reduced sizes: R1 " + size + "x" + size + ", A1/T1 " + tokens + " tokens (workloads.md: "
                    + BlockBench.FULL_SIZE + "x" + BlockBench.FULL_SIZE + ", " + BlockBench.FULL_TOKENS + ").");
        }
        String table = BenchTable.markdown(rows, footer);
        System.out.print(table);
        if (out != null) AtomicWrite.write(out, force, tmp -> Files.writeString(tmp, table, StandardCharsets.UTF_8));
        return 0;
    }

    private void validate() {
        if (out != null && Files.exists(out) && !force) {
            throw new UserException("--out " + out + ": exists; pass --force to replace it");
        }
        if (out != null && Files.isDirectory(out)) throw new UserException("--out " + out + ": is a folder, expected a file");
        if (!List.of("sd21", "tiny").contains(adiModel)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--adi-model must be sd21 or tiny, got '" + adiModel + "'");
        }
        if (!List.of("blocks", "model", "adi", "all").contains(suite)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--suite must be blocks, model, adi or all, got '" + suite + "'");
        }
        for (String w : workloads) {
            if (!BlockBench.WORKLOADS.contains(w)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--workload: unknown '" + w + "', expected some of " + String.join(",", BlockBench.WORKLOADS));
            }
        }
        if (warmup < 0 || runs < 1 || size < 1 || tokens < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--warmup must be >= 0 and --runs, --size, --tokens >= 1");
        }
        if (torch && (size != BlockBench.FULL_SIZE || tokens != BlockBench.FULL_TOKENS)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--torch compares the workloads.md sizes only (torch_blocks.py has fixed sizes): drop --size/--tokens");
        }
    }

    /** Runs torch_blocks.py once per workload (so each peak RSS is that workload's own); empty if torch is missing. */
    private Map<String, TorchOutput.Measurement> runTorch(int threads, List<String> footer)
            throws IOException, InterruptedException {
        Map<String, TorchOutput.Measurement> all = new HashMap<>();
        Path script = shared.resolve("bench/torch_blocks.py");
        if (!Files.isRegularFile(script)) throw new IOException("PyTorch benchmark script not found: " + script);
        TorchRunner runner = new TorchRunner(python, threads, System.err::println);
        String version = runner.torchVersionOrReport(footer);
        if (version == null) return all;
        for (String w : workloads) {
            System.err.println("PyTorch " + w + " ...");
            TorchRunner.Outcome o = runner.run(List.of(script.toString(), w, "--threads", Integer.toString(threads)));
            if (!o.ok()) {
                throw new IOException(script + " " + w + " failed with exit code " + o.exitCode() + ": " + o.lastLine());
            }
            if (o.output().version() != null) version = o.output().version();
            all.putAll(o.output().measurements());
        }
        footer.add("PyTorch " + version + " (" + script.getFileName() + "): " + threads
                + " threads (OMP_NUM_THREADS), 2 warm-up + 5 runs, median; peak RSS = ru_maxrss of a fresh Python process "
                + "per block, covering both its forward and forward+backward rows.");
        return all;
    }

    static String allocator() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains("jemalloc") ? "jemalloc preloaded" : "system malloc (no jemalloc)";
    }
}
