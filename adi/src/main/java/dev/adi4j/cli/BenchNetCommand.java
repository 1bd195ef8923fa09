package dev.adi4j.cli;

import dev.adi4j.core.config.ClipTextConfig;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.core.io.AtomicWrite;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.diffusion.unet.UNet2DConditionModel;
import dev.adi4j.harness.bench.BlockBench;
import dev.adi4j.harness.bench.GenerateBench;
import dev.adi4j.harness.bench.MemoryBudgetBench;
import dev.adi4j.harness.bench.NativesInfo;
import dev.adi4j.harness.bench.SamplerBench;
import dev.adi4j.harness.bench.TextBench;
import dev.adi4j.harness.bench.Timing;
import dev.adi4j.harness.bench.UNetBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code adi bench-net}: times the networks with warm-up and medians and reports peak memory, as one markdown
 * table; with {@code --torch} beside the same workloads in PyTorch (child processes, same thread count). The UNet
 * (random weights of a config): forward and forward+backward w.r.t. the layer-wise contexts. The text encoder (a
 * model folder's own): the layer-wise encode of L rows and its backward to the identifiers. The pipeline:
 * {@code adi generate} per image. A benchmark, never a test.
 */
@Command(name = "bench-net", mixinStandardHelpOptions = true,
        description = "Benchmark the networks: UNet and text encoder forward and forward+backward, the samplers, image generation; "
                + "--torch puts PyTorch's times beside adi4j's in one table.")
public final class BenchNetCommand implements Callable<Integer> {
    @Option(names = "--net", split = ",", defaultValue = "unet",
            description = "networks the fwd/grad modes time: unet (random weights of each --config, at each --latent, --batch "
                    + "samples) and/or text (the --model folder's text encoder: the layer-wise encode of one prompt, L rows of "
                    + "77 tokens where L = its UNet's cross-attention layers, and the backward to the L identifiers that "
                    + "training runs per sample) (default: ${DEFAULT-VALUE})")
    List<String> nets;

    @Option(names = "--config", split = ",", defaultValue = "tiny",
            description = "UNet config.json files, or 'tiny' / 'sd21' for the shared fixtures' configs (default: ${DEFAULT-VALUE})")
    List<String> configs;

    @Option(names = "--latent", split = ",", defaultValue = "32,64", description = "UNet latent sizes (default: ${DEFAULT-VALUE})")
    int[] latents;

    @Option(names = "--mode", split = ",", defaultValue = "fwd,grad",
            description = "fwd, grad (forward+backward), sampler (the samplers' own time per step, SD 2.1 schedule) and/or "
                    + "generate (adi generate's pipeline on --model at --size, --steps, --guidance: time per image and images/s) "
                    + "(default: ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--batch", defaultValue = "1", description = "samples per UNet pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--warmup",
            description = "untimed runs before each row's timed runs (default: auto, runs until 10 s of warm-up have passed, "
                    + "at least 2, at most 1000). Small graphs settle only after seconds of running (the JIT), so a small "
                    + "--warmup on the tiny configs or the text encoder times the warm-up; --torch gives PyTorch the same count")
    Integer warmup;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs per row; the table shows their median (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--shared", defaultValue = "../shared",
            description = "the shared folder with fixtures/ (for 'tiny'/'sd21') and bench/torchref/ (default: ${DEFAULT-VALUE})")
    Path shared;

    @Option(names = "--model", description = "model folder of --net text and --mode generate, with its real weights "
            + "(default: SHARED/fixtures/tiny-sd)")
    Path model;

    @Option(names = "--size", defaultValue = "128x128", description = "image size WxH of --mode generate (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--steps", defaultValue = "25", description = "denoising steps of --mode generate (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--guidance", defaultValue = "7.5",
            description = "classifier-free guidance of --mode generate; above 1 the UNet runs a batch of 2 (default: ${DEFAULT-VALUE})")
    double guidance;

    @Option(names = "--torch", description = "also time each workload in PyTorch: SHARED/bench/torchref/unet_bench.py (UNet), "
            + "bench/torch/text_bench.py and generate_bench.py (this checkout), in a fresh process each, same threads")
    boolean torch;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "the Python with torch (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--torch-scripts", description = "the folder of text_bench.py and generate_bench.py (default: bench/torch "
            + "of the adi4j checkout bin/adi runs from, else ./bench/torch)")
    Path torchScripts;

    @Option(names = "--out", description = "also write the table as markdown to this file")
    Path out;

    @Option(names = "--force", description = "replace an existing --out file")
    boolean force;

    @Option(names = "--memory-check", paramLabel = "LATENT",
            description = "instead: load the full SD 2.1 text encoder, VAE and UNet (random float32 weights), encode a prompt "
                    + "and run one UNet forward at LATENTxLATENT (96 = 768x768), reporting peak RSS per stage")
    Integer memoryCheck;

    static final List<String> NETS = List.of("unet", "text");
    static final List<String> MODES = List.of("fwd", "grad", "sampler", "generate");

    /** What checkFlags derived: the image size of --mode generate (null without it). */
    private int[] imageSize;

    /** Every flag, checked before any graph is built. */
    void checkFlags() {
        for (int l : latents) Flags.atLeast("--latent", l, 1);
        Flags.atLeast("--batch", batch, 1);
        if (warmup != null) Flags.atLeast("--warmup", warmup, 0);
        Flags.atLeast("--runs", runs, 1);
        for (String m : modes) Flags.oneOf("--mode", m, MODES);
        for (String n : nets) Flags.oneOf("--net", n, NETS);
        if (memoryCheck != null) {
            Flags.atLeast("--memory-check", memoryCheck, 1);
            if (torch) throw new UserException("--torch: not available with --memory-check (no PyTorch side)");
        }
        if (out != null && Files.isDirectory(out)) throw new UserException("--out " + out + ": is a folder, expected a file");
        if (out != null && Files.exists(out) && !force) {
            throw new UserException("--out " + out + ": exists; pass --force to replace it");
        }
        if (timesNet("unet")) {
            for (String c : configs) {
                if (!c.equals("tiny") && !c.equals("sd21") && !Files.isRegularFile(Path.of(c))) {
                    throw new UserException("--config '" + c + "': neither 'tiny', 'sd21' nor an existing config.json file");
                }
            }
        }
        Flags.atLeast("--steps", steps, 1);
        Flags.finite("--guidance", guidance);
        if (timesNet("text") || modes.contains("generate")) {
            Path folder = modelFolder();
            if (!Files.isDirectory(folder)) throw new UserException("--model " + folder + ": no such model folder");
        }
        if (modes.contains("generate")) {
            ModelFolder folder = ModelFolder.open(modelFolder());
            VaeConfig vae = folder.vae();
            UNetConfig unet = folder.unet();
            int factor = 1 << (vae.blockOutChannels().size() - 1);
            imageSize = Flags.size("--size", size, factor);
            int min = UNet2DConditionModel.minimumLatentSide(unet);
            if (imageSize[0] / factor < min || imageSize[1] / factor < min) {
                throw new UserException("--size " + size + ": too small for this UNet; each side must be at least " + min * factor);
            }
        }
        if (torch && (timesNet("text") || modes.contains("generate"))) {
            Path scripts = scriptsFolder();
            for (String s : new String[]{"text_bench.py", "generate_bench.py"}) {
                if (!Files.isRegularFile(scripts.resolve(s))) {
                    throw new UserException("--torch-scripts " + scripts + ": no " + s + " there (bench/torch of the adi4j checkout)");
                }
            }
        }
    }

    private boolean timesNet(String net) {
        return nets.contains(net) && (modes.contains("fwd") || modes.contains("grad"));
    }

    private Path modelFolder() {
        return model != null ? model : shared.resolve("fixtures/tiny-sd");
    }

    private Path scriptsFolder() {
        if (torchScripts != null) return torchScripts;
        String home = System.getProperty("adi4j.home");
        return home != null ? Path.of(home, "bench", "torch") : Path.of("bench", "torch");
    }

    private static String label(Path folder) {
        Path name = folder.toAbsolutePath().normalize().getFileName();
        return name == null ? folder.toString() : name.toString();
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
        System.err.println("ND4J natives: " + NativesInfo.describe());
        Timing.Warmup warm = warmup == null ? Timing.Warmup.AUTO : Timing.Warmup.fixed(warmup);
        int threads = BlockBench.threads();
        List<BenchTable.Row> rows = new ArrayList<>();
        List<String> footer = new ArrayList<>();
        TorchSide side = torch ? TorchSide.open(new TorchRunner(python, threads, System.err::println), shared, footer) : null;
        if (modes.contains("sampler")) {
            SchedulerConfig sched = Configs.read(shared.resolve("fixtures/tiny-sd/scheduler/scheduler_config.json"),
                    SchedulerConfig.class);
            for (int s : latents) SamplerBench.run(sched, s, 25, warm, runs).forEach(r -> rows.add(new BenchTable.Row(r, null)));
        }
        List<String> netModes = modes.stream().filter(m -> m.equals("fwd") || m.equals("grad")).toList();
        if (timesNet("unet")) {
            for (String c : configs) {
                Path file = switch (c) {
                    case "tiny" -> shared.resolve("fixtures/tiny-sd/unet/config.json");
                    case "sd21" -> shared.resolve("fixtures/manifests/sd21-unet-config.json");
                    default -> Path.of(c);
                };
                UNetConfig config = Configs.read(file, UNetConfig.class);
                for (int s : latents) {
                    List<Timing.Result> results = UNetBench.run(c, config, new int[]{s}, batch, netModes, warm, runs,
                            System.err::println);
                    Map<String, TorchOutput.Measurement> t = side == null ? Map.of()
                            : side.unet(c, s, batch, torchWarmup(results), runs);
                    for (Timing.Result r : results) {
                        boolean grad = !r.workload().equals(UNetBench.forwardName(c, s, batch));
                        rows.add(new BenchTable.Row(r, t.get(TorchSide.unetName(c, s, batch, grad))));
                    }
                }
            }
        }
        if (timesNet("text")) {
            ModelFolder folder = ModelFolder.open(modelFolder());
            String label = label(modelFolder());
            List<Timing.Result> results = TextBench.run(label, folder, netModes, warm, runs, System.err::println);
            int layers = TextBench.layers(folder);
            int tokens = folder.textEncoder().maxPositionEmbeddings();
            Map<String, TorchOutput.Measurement> t = side == null ? Map.of()
                    : side.text(scriptsFolder(), folder, label, layers, netModes, torchWarmup(results), runs);
            for (Timing.Result r : results) {
                boolean grad = r.workload().equals(TextBench.gradName(label, tokens, layers));
                rows.add(new BenchTable.Row(r, t.get(TorchSide.textName(label, tokens, layers, grad))));
            }
        }
        if (modes.contains("generate")) {
            String label = label(modelFolder());
            GenerateBench.Run run = GenerateBench.run(label, modelFolder(), imageSize[0], imageSize[1], steps, guidance, warm,
                    runs, System.err::println);
            Map<String, TorchOutput.Measurement> t = side == null ? Map.of()
                    : side.generate(scriptsFolder(), modelFolder(), run, imageSize, steps, guidance,
                    torchWarmup(List.of(run.result())), runs);
            rows.add(new BenchTable.Row(run.result(), t.get(run.result().workload()), 1));
            footer.add("generate: " + GenerateBench.name(label, imageSize[0], imageSize[1], steps, guidance) + ", prompt \""
                    + GenerateBench.PROMPT + "\", negative prompt \"" + GenerateBench.NEGATIVE_PROMPT + "\", one image per run "
                    + "(text encoder x2, " + steps + " UNet passes" + (guidance > 1 ? " of batch 2" : "") + ", VAE decode; no PNG); "
                    + "adi4j's sampler " + run.sampler() + " (the folder's scheduler), the folder's weights"
                    + (side == null ? "" : "; PyTorch: diffusers' UNet2DConditionModel and AutoencoderKL with the same weights, "
                    + "bench/torch/clip_text.py as text encoder, the scheduler class of scheduler_config.json, the same token ids")
                    + ".");
        }
        footer.add("ND4J natives: " + NativesInfo.describe());
        footer.add(String.format(Locale.ROOT, "adi4j: %d ND4J threads, warm-up %s + %d runs per row, median; %s; peak RSS = the "
                        + "JVM's VmHWM reset (clear_refs 5) before each row's warm-up, so it includes the JVM and whatever was "
                        + "already resident.", threads, warm.describe(), runs, BenchCommand.allocator()));
        if (warmup == null && !rows.isEmpty()) {
            footer.add("Warm-up runs made: " + rows.stream().map(r -> r.adi4j().workload() + " " + r.adi4j().warmup())
                    .collect(Collectors.joining(", ")) + ".");
        }
        if (side != null) footer.addAll(side.notes());
        String table = BenchTable.markdown(rows, footer);
        System.out.print(table);
        if (out != null) AtomicWrite.write(out, force, tmp -> Files.writeString(tmp, table, StandardCharsets.UTF_8));
        return side != null && side.failed() ? 1 : 0;
    }

    /** PyTorch's warm-up: the user's --warmup, else the most any of the process's adi4j rows made. */
    private int torchWarmup(List<Timing.Result> adi4j) {
        return warmup != null ? warmup : adi4j.stream().mapToInt(Timing.Result::warmup).max().orElse(2);
    }

    /**
     * The PyTorch side of bench-net: one fresh Python process per UNet (config, latent), per text encoder and per
     * generation; a missing torch or diffusers is one line (and a footer note), and adi4j's rows stay.
     */
    static final class TorchSide {
        private final TorchRunner runner;
        private final Path shared;
        private final String version;
        private final List<String> notes = new ArrayList<>();
        /** null when diffusers imports, else why not (then the UNet and generate rows have no PyTorch side). */
        private String diffusersMissing;
        private boolean diffusersProbed;
        private boolean failed;
        private final List<String> footer;

        private TorchSide(TorchRunner runner, Path shared, String version, List<String> footer) {
            this.runner = runner;
            this.shared = shared;
            this.version = version;
            this.footer = footer;
        }

        /** null (and a one-line message) when torch does not import. */
        static TorchSide open(TorchRunner runner, Path shared, List<String> footer) throws IOException, InterruptedException {
            String version = runner.torchVersionOrReport(footer);
            if (version == null) return null;
            return new TorchSide(runner, shared, version, footer);
        }

        /** The measurement names unet_bench.py prints for (config, latent, batch). */
        static String unetName(String config, int latent, int batch, boolean grad) {
            return grad ? config + " G" + latent + " b" + batch + " forward+backward(ctx)"
                    : config + " U" + latent + " b" + batch + " forward";
        }

        /** The measurement names text_bench.py prints. */
        static String textName(String label, int tokens, int rows, boolean grad) {
            return label + " text T" + tokens + " x" + rows + (grad ? " forward+backward(inputs_embeds)" : " forward");
        }

        boolean failed() { return failed; }

        List<String> notes() {
            List<String> all = new ArrayList<>();
            all.add("PyTorch " + version + ": " + runner.threads() + " threads (OMP_NUM_THREADS and torch.set_num_threads), "
                    + "warm-up as adi4j's (auto: the most its rows of that process made), the same runs, median; peak RSS = "
                    + "ru_maxrss of a fresh Python process per UNet (config, latent), per text encoder and per generation, "
                    + "so a grad row's peak covers its process's forward row too (unet_bench.py prints 0.01 GiB steps).");
            all.addAll(notes);
            return all;
        }

        Map<String, TorchOutput.Measurement> unet(String config, int latent, int batch, int warmup, int runs)
                throws IOException, InterruptedException {
            if (!diffusersAvailable()) return Map.of();
            note("UNet: unet_bench.py times forward and forward+backward in every process (whatever --mode says); its "
                    + "backward is w.r.t. one shared context with loss mean(out^2), adi4j's w.r.t. the L layer-wise contexts "
                    + "with an MSE loss (checkpointed by default, -Dadi4j.unet.checkpointing); random weights on both sides.");
            Path script = shared.resolve("bench/torchref/unet_bench.py");
            return run("unet_bench.py --config " + config + " --latent " + latent, List.of(script.toString(),
                    "--config", config, "--latent", Integer.toString(latent), "--batch", Integer.toString(batch),
                    "--warmup", Integer.toString(warmup), "--runs", Integer.toString(runs)));
        }

        Map<String, TorchOutput.Measurement> text(Path scripts, ModelFolder folder, String label, int layers, List<String> modes,
                                                  int warmup, int runs) throws IOException, InterruptedException {
            note("text encoder: adi4j the folder's weights, PyTorch bench/torch/clip_text.py with random weights of the same "
                    + "config; same prompt ids and " + layers + " rows; adi4j's backward runs in row chunks "
                    + "(-Dadi4j.text.backwardRows; by default as many rows as 4 SD 2.1 rows of activations: all 16 here), PyTorch's all rows at once.");
            return run("text_bench.py", List.of(scripts.resolve("text_bench.py").toString(),
                    "--config", folder.configFile(dev.adi4j.core.model.Component.TEXT_ENCODER).toString(),
                    "--rows", Integer.toString(layers), "--label", label, "--modes", String.join(",", modes),
                    "--torchref", shared.resolve("bench/torchref").toString(),
                    "--warmup", Integer.toString(warmup), "--runs", Integer.toString(runs)));
        }

        Map<String, TorchOutput.Measurement> generate(Path scripts, Path model, GenerateBench.Run run, int[] size, int steps,
                                                      double guidance, int warmup, int runs)
                throws IOException, InterruptedException {
            if (!diffusersAvailable()) return Map.of();
            return run("generate_bench.py", List.of(scripts.resolve("generate_bench.py").toString(),
                    "--model", model.toString(), "--size", size[0] + "x" + size[1], "--steps", Integer.toString(steps),
                    "--guidance", Double.toString(guidance), "--ids", csv(run.promptIds()),
                    "--negative-ids", csv(run.negativeIds()), "--name", run.result().workload(),
                    "--torchref", shared.resolve("bench/torchref").toString(),
                    "--warmup", Integer.toString(warmup), "--runs", Integer.toString(runs)));
        }

        private static String csv(int[] ids) {
            return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
        }

        private void note(String n) {
            if (!notes.contains(n)) notes.add(n);
        }

        private Map<String, TorchOutput.Measurement> run(String what, List<String> args) throws IOException, InterruptedException {
            System.err.println("PyTorch " + what + " ...");
            TorchRunner.Outcome o = runner.run(args);
            if (!o.ok()) {
                failed = true;
                String msg = "PyTorch " + what + " failed (exit code " + o.exitCode() + "): " + o.lastLine();
                System.err.println(msg);
                footer.add(msg);
            }
            return o.output().measurements();
        }

        /** Whether diffusers imports through torchref's path set-up (its sources beside the shared folder). */
        private boolean diffusersAvailable() throws IOException, InterruptedException {
            if (!diffusersProbed) {
                diffusersProbed = true;
                Path torchref = shared.resolve("bench/torchref").toAbsolutePath().normalize();
                String why = runner.probe("import sys; sys.path.insert(0, '" + torchref.toString().replace("'", "\\'")
                        + "'); import common, diffusers");
                if (why != null) {
                    diffusersMissing = "PyTorch UNet and generate rows skipped: diffusers does not import (" + why + "); see "
                            + torchref.resolve("README.md") + " for its set-up";
                    System.err.println(diffusersMissing);
                    footer.add(diffusersMissing);
                }
            }
            return diffusersMissing == null;
        }
    }
}
