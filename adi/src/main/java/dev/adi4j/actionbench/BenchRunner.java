package dev.adi4j.actionbench;

import dev.adi4j.adi.baseline.CustomDiffusionDeltas;
import dev.adi4j.adi.data.ActionDataset;
import dev.adi4j.adi.data.DataOptions;
import dev.adi4j.adi.data.Example;
import dev.adi4j.adi.data.TrainingDataException;
import dev.adi4j.adi.train.RunFolder;
import dev.adi4j.adi.train.TrainConfig;
import dev.adi4j.adi.train.TrainListener;
import dev.adi4j.adi.train.TrainMethod;
import dev.adi4j.adi.train.Trainer;
import dev.adi4j.core.image.GenerationParameters;
import dev.adi4j.core.image.ImageGrid;
import dev.adi4j.core.image.Images;
import dev.adi4j.core.image.PixelRange;
import dev.adi4j.core.image.PngWriter;
import dev.adi4j.core.io.AtomicWrite;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.GenerationRequest;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.diffusion.pipeline.StepListener;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code adi actionbench run}: trains (or reuses) identifiers per (method, action), generates every image of a
 * shard, and writes the index and contact sheets. Every file is written atomically and an existing one is taken as
 * done, so a rerun continues where a killed run stopped; a killed training run resumes from its last checkpoint.
 */
public final class BenchRunner {
    static final String BENCH_COPY = "bench.json";
    static final String TRAINED = "actionbench-trained";
    static final int THUMB = 192;

    private final BenchFile.Loaded bench;
    private final Path model;
    private final Path out;
    private final Consumer<String> log;

    public BenchRunner(BenchFile.Loaded bench, Path model, Path out, Consumer<String> log) {
        this.bench = bench;
        this.model = model;
        this.out = out;
        this.log = log;
    }

    /** Runs one shard (or all with {@link BenchItem.Shard#ALL}); returns the index written. */
    public BenchIndex run(BenchItem.Shard shard) {
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("--model " + model + ": no such model folder");
        claimOutput(out, bench);
        List<BenchIndex.ActionEntry> actions = new ArrayList<>();
        for (BenchFile.ActionSpec a : bench.actions()) actions.add(exemplars(a));
        List<BenchItem> items = shard.slice(BenchItem.all(bench));
        log.accept("shard " + shard + ": " + items.size() + " of " + BenchItem.all(bench).size() + " images");
        StableDiffusionPipeline pipe = null;
        try {
            Map<String, List<BenchItem>> groups = new LinkedHashMap<>();
            for (BenchItem i : items) groups.computeIfAbsent(i.method() + "/" + i.action(), k -> new ArrayList<>()).add(i);
            for (List<BenchItem> group : groups.values()) {
                List<BenchItem> missing = group.stream().filter(i -> !Files.isRegularFile(out.resolve(i.file()))).toList();
                if (missing.isEmpty()) continue;
                BenchFile.Method method = bench.method(group.get(0).method());
                BenchFile.ActionSpec action = bench.action(group.get(0).action());
                Path trained = BenchFile.TEXT.equals(method.name()) ? null : train(method, action);
                if (pipe == null) {
                    log.accept("loading " + model + " ...");
                    pipe = StableDiffusionPipeline.load(model);
                }
                generate(pipe, method, action, trained, missing);
            }
        } finally {
            if (pipe != null) {
                try {
                    pipe.close();
                } catch (Exception e) {
                    log.accept("warning: closing the model: " + e.getMessage());
                }
            }
        }
        BenchIndex index = index(bench, actions, items, out);
        index.write(out);
        ContactSheets.write(bench, index, out);
        log.accept("index: " + out.resolve(BenchIndex.FILE));
        return index;
    }

    /**
     * Makes {@code out} this bench's folder: a copy of the bench file marks it; another bench's folder is refused
     * (its images would be mixed with ours).
     */
    static void claimOutput(Path out, BenchFile.Loaded bench) {
        Path copy = out.resolve(BENCH_COPY);
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + ": not a folder");
            if (Files.isRegularFile(copy)) {
                String had = BenchFile.sha256(Files.readAllBytes(copy));
                if (!had.equals(bench.sha256())) {
                    throw new IllegalArgumentException("--out " + out + ": holds results of another bench file (sha256 "
                            + had.substring(0, 12) + ", this one " + bench.sha256().substring(0, 12) + "); use a new --out");
                }
                return;
            }
            if (Files.isDirectory(out)) {
                try (var s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("--out " + out + ": a non-empty folder that is not an ActionBench output (no "
                                + BENCH_COPY + "); pick a new folder");
                    }
                }
            }
            AtomicWrite.write(copy, true, tmp -> Files.write(tmp, bench.bytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
    }

    /** Checks the exemplar folder the way the trainer will and copies thumbnails for the annotation page. */
    private BenchIndex.ActionEntry exemplars(BenchFile.ActionSpec a) {
        ActionDataset data;
        try {
            data = ActionDataset.load(a.exemplars(), DataOptions.defaults(64));
        } catch (TrainingDataException e) {
            throw new IllegalArgumentException(bench.file() + ": action '" + a.name() + "': " + e.getMessage(), e);
        }
        List<String> files = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Example ex = data.example(i);
            String rel = "exemplars/" + a.name() + "/" + i + ".png";
            Path target = out.resolve(rel);
            if (!Files.isRegularFile(target)) {
                BufferedImage img = Images.readRgb(ex.file());
                PngWriter.write(thumbnail(img, THUMB), target, Map.of(), true);
            }
            files.add(rel);
        }
        return new BenchIndex.ActionEntry(a.name(), a.description(), files);
    }

    static BufferedImage thumbnail(BufferedImage img, int side) {
        double s = Math.min(1.0, side / (double) Math.max(img.getWidth(), img.getHeight()));
        int w = Math.max(1, (int) Math.round(img.getWidth() * s));
        int h = Math.max(1, (int) Math.round(img.getHeight() * s));
        if (s == 1.0) return img;
        BufferedImage t = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = t.createGraphics();
        g.drawImage(img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return t;
    }

    /** The training run's folder for (method, action). */
    static Path runDir(Path out, String method, String action) {
        return out.resolve("runs").resolve(method).resolve(action);
    }

    /** Trains, or reuses a finished run; a run killed midway continues from its last checkpoint. */
    private Path train(BenchFile.Method method, BenchFile.ActionSpec action) {
        TrainMethod tm = TrainMethod.parse(method.name());
        Path dir = runDir(out, method.name(), action.name());
        Path result = dir.resolve(tm == TrainMethod.CUSTOM_DIFFUSION ? "custom_diffusion.safetensors" : RunFolder.IDENTIFIERS);
        if (Files.isRegularFile(dir.resolve(TRAINED)) && Files.isRegularFile(result)) {
            log.accept("reusing " + dir);
            return result;
        }
        TrainConfig config = trainConfig(method, action, dir);
        log.accept("training " + method.name() + " for " + action.token() + " (" + config.maxTrainSteps() + " steps) in " + dir);
        new Trainer(config, new TrainListener() {
            @Override
            public void message(String line) {
                log.accept("  " + line);
            }
        }).run();
        try {
            AtomicWrite.write(dir.resolve(TRAINED), true, tmp -> Files.writeString(tmp, bench.sha256() + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return result;
    }

    TrainConfig trainConfig(BenchFile.Method method, BenchFile.ActionSpec action, Path dir) {
        BenchFile.TrainSettings s = method.train();
        TrainConfig.Builder b = TrainConfig.defaults(model, action.exemplars(), dir).toBuilder()
                .method(TrainMethod.parse(method.name()))
                .placeholderToken(action.token())
                .actionDifferentDir(action.actionDifferent())
                .resumeFromCheckpoint("latest");
        if (s.maxTrainSteps() != null) b.maxTrainSteps(s.maxTrainSteps());
        if (s.learningRate() != null) b.learningRate(s.learningRate());
        if (s.resolution() != null) b.resolution(s.resolution());
        if (s.beta() != null) b.beta(s.beta());
        if (s.seed() != null) b.seed(s.seed());
        if (s.initializerToken() != null) b.initializerToken(s.initializerToken());
        if (s.templates() != null) b.templates(s.templates());
        if (s.gradientAccumulationSteps() != null) b.gradientAccumulationSteps(s.gradientAccumulationSteps());
        if (s.lrScheduler() != null) b.lrScheduler(s.lrScheduler());
        if (s.lrWarmupSteps() != null) b.lrWarmupSteps(s.lrWarmupSteps());
        if (s.checkpointingSteps() != null) b.checkpointingSteps(s.checkpointingSteps());
        if (s.actionDifferentSteps() != null) b.actionDifferentSteps(s.actionDifferentSteps());
        try {
            return b.build().validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(bench.file() + ": method '" + method.name() + "' train settings: "
                    + e.getMessage().replace("--", "").replace('-', '_'));
        }
    }

    private void generate(StableDiffusionPipeline pipe, BenchFile.Method method, BenchFile.ActionSpec action,
                          Path trained, List<BenchItem> items) {
        Identifiers ids = Identifiers.none();
        CustomDiffusionDeltas.Applied applied = null;
        try {
            if (trained != null && method.name().equals(TrainMethod.CUSTOM_DIFFUSION.cliName())) {
                CustomDiffusionDeltas d = CustomDiffusionDeltas.load(trained, pipe.unet().config());
                applied = d.applyTo(pipe.unet());
                ids = d.identifiers();
            } else if (trained != null) {
                ids = Identifiers.load(trained);
            }
            BenchFile.Generation g = bench.generation();
            for (BenchItem item : items) {
                String subject = bench.subjects().get(item.subject());
                String prompt = bench.prompt(method.name(), action, subject);
                GenerationRequest r = new GenerationRequest(prompt, g.negativePrompt(), g.width(), g.height(), g.steps(),
                        g.guidance(), g.sampler(), item.seed(), 1);
                long t0 = System.nanoTime();
                BufferedImage img = Images.fromTensor(pipe.generate(r, ids, StepListener.NONE), PixelRange.ZERO_TO_ONE).get(0);
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("Steps", Integer.toString(g.steps()));
                settings.put("Sampler", g.sampler() == null ? "model default" : g.sampler());
                settings.put("CFG scale", Double.toString(g.guidance()));
                settings.put("Seed", Long.toString(item.seed()));
                settings.put("Size", g.width() + "x" + g.height());
                // no paths in the file: the same item gives the same bytes in any output folder
                PngWriter.write(img, out.resolve(item.file()), Map.of(PngWriter.PARAMETERS_KEY,
                        GenerationParameters.format(prompt, g.negativePrompt(), settings)), true);
                log.accept(String.format("%s  %s  (%.1f s)", item.file(), prompt, (System.nanoTime() - t0) / 1e9));
            }
        } finally {
            if (applied != null) applied.close();
        }
    }

    /** The index of the items whose images exist, in canonical order. */
    static BenchIndex index(BenchFile.Loaded bench, List<BenchIndex.ActionEntry> actions, List<BenchItem> items, Path out) {
        List<BenchIndex.Entry> entries = new ArrayList<>();
        for (BenchItem i : items) {
            Path f = out.resolve(i.file());
            if (!Files.isRegularFile(f)) continue;
            try {
                entries.add(new BenchIndex.Entry(i.id(), i.method(), i.action(), i.subject(), i.seed(),
                        bench.prompt(i.method(), bench.action(i.action()), bench.subjects().get(i.subject())), i.file(),
                        BenchFile.sha256(Files.readAllBytes(f))));
            } catch (IOException e) {
                throw new UncheckedIOException(f + ": " + e.getMessage(), e);
            }
        }
        return new BenchIndex(BenchIndex.FORMAT, bench.sha256(), bench.subjects(), actions,
                bench.methods().stream().map(BenchFile.Method::name).toList(), entries);
    }
}
