package dev.adi4j.mini.bench;

import dev.adi4j.adi.baseline.CustomDiffusionDeltas;
import dev.adi4j.adi.train.RunFolder;
import dev.adi4j.adi.train.TrainConfig;
import dev.adi4j.adi.train.TrainListener;
import dev.adi4j.adi.train.TrainMethod;
import dev.adi4j.adi.train.Trainer;
import dev.adi4j.core.image.Images;
import dev.adi4j.core.image.PixelRange;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.mini.judge.Judge;
import dev.adi4j.mini.judge.Prediction;
import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.Renderer;
import dev.adi4j.mini.world.Subject;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ActionBench-mini: per benchmarked action, the exemplar folder, identifiers by every method (trained once; a rerun
 * on the same folder reuses finished runs and resumes an interrupted one from its latest checkpoint), images of every test
 * subject x seed from "a photo of a &lt;subject&gt; &lt;identifier&gt;", each judged. Seeds are shared by all methods,
 * so every method draws from the same starting noise.
 */
public final class MiniBench {
    /** One cell of the table: a method on an action ({@link #OVERALL} for all actions), scored on all and on unseen subjects. */
    public record Row(String method, String action, Score all, Score unseen, String note, Path grid) {
    }

    /** The main table, the beta sweep, and per action the grid of its exemplars (top) and action-different samples. */
    public record Results(List<Row> rows, List<Row> betaSweep, Map<String, Path> exemplarGrids, double seconds) {
    }

    public static final String OVERALL = "overall";

    private final MiniBenchConfig config;
    private final Path model;
    private final Path out;
    private final Judge judge;
    private final Consumer<String> progress;
    private final TrainListener training;

    /** {@code progress} gets a line per phase and per scored row, {@code training} each identifier run's steps. */
    public MiniBench(MiniBenchConfig config, Path model, Path out, Judge judge, Consumer<String> progress,
                     TrainListener training) {
        this.config = config;
        this.model = model;
        this.out = out;
        this.judge = judge;
        this.progress = progress;
        this.training = training;
    }

    /** Runs (or completes) the bench and returns its tables; writes nothing but the run folders and grids. */
    public Results run() throws Exception {
        long t0 = System.nanoTime();
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(model)) {
            return run(pipe, t0);
        }
    }

    /** The bench with one pipeline for every evaluation (each training run loads its own). */
    private Results run(StableDiffusionPipeline pipe, long t0) throws Exception {
        Map<String, List<Row>> byMethod = new LinkedHashMap<>();
        Map<String, List<Row>> byBeta = new LinkedHashMap<>();
        Map<String, Path> exemplarGrids = new LinkedHashMap<>();
        for (Action action : config.actions()) {
            Path actionDir = out.resolve("actions").resolve(slug(action));
            Path exemplars = actionDir.resolve("exemplars");
            ExemplarSet set = ExemplarSet.of(action, config.seed(), config.exemplars(), config.exemplarSubjects(),
                    CaptionPolicy.DEFAULT);
            if (!Files.isRegularFile(exemplars.resolve(ExemplarSet.IMAGES).resolve("captions.txt"))) {
                set.write(exemplars, Renderer.TRAINING_SIZE);
            }
            List<BufferedImage> shown = new ArrayList<>(), different = new ArrayList<>();
            for (int i = 0; i < set.exemplars().size(); i++) {
                shown.add(set.exemplars().get(i).render(Renderer.TRAINING_SIZE));
                different.add(Renderer.render(set.actionDifferent().get(i), Renderer.TRAINING_SIZE));
            }
            Path grid = exemplars.resolve("grid.png");
            Grids.write(grid, List.of(shown, different), 2);
            exemplarGrids.put(slug(action), grid);
            for (String method : config.methods()) {
                Row row = method.equals(MiniBenchConfig.TEXT_ONLY) ? textOnly(pipe, action, actionDir)
                        : learned(pipe, action, actionDir, exemplars, method, config.beta(), method);
                byMethod.computeIfAbsent(method, k -> new ArrayList<>()).add(row);
                progress.accept(line(row));
            }
            for (double beta : config.betaSweep()) {
                String name = String.format(Locale.ROOT, "adi beta=%.2f", beta);
                Row row = learned(pipe, action, actionDir, exemplars, "adi", beta, name);
                byBeta.computeIfAbsent(name, k -> new ArrayList<>()).add(row);
                progress.accept(line(row));
            }
        }
        return new Results(withOverall(byMethod), withOverall(byBeta), exemplarGrids, (System.nanoTime() - t0) / 1e9);
    }

    private static List<Row> withOverall(Map<String, List<Row>> byMethod) {
        List<Row> rows = new ArrayList<>();
        byMethod.forEach((method, perAction) -> {
            rows.addAll(perAction);
            if (perAction.size() > 1) {
                Score all = Score.EMPTY, unseen = Score.EMPTY;
                for (Row r : perAction) {
                    all = all.plus(r.all());
                    unseen = unseen.plus(r.unseen());
                }
                rows.add(new Row(method, OVERALL, all, unseen, "", null));
            }
        });
        return rows;
    }

    /** The base model with the plain description that scores best among the phrases its captions taught it. */
    private Row textOnly(StableDiffusionPipeline pipe, Action action, Path actionDir) throws Exception {
        Row best = null;
        for (Action described : Action.values()) {
            if (CaptionPolicy.DEFAULT.isHeldOut(described)) continue;
            Path dir = actionDir.resolve(MiniBenchConfig.TEXT_ONLY).resolve(slug(described));
            Row r = evaluate(pipe, Identifiers.none(), MiniBenchConfig.TEXT_ONLY, action, described.phrase(), dir,
                    "\"" + described.phrase() + "\"");
            if (best == null || r.all().total() > best.all().total()) best = r;
        }
        return best;
    }

    private Row learned(StableDiffusionPipeline pipe, Action action, Path actionDir, Path exemplars, String method, double beta, String name)
            throws Exception {
        // the sweep's run at the main table's beta is the main table's ADI run
        Path runDir = actionDir.resolve(method.equals("adi") && beta != config.beta()
                ? String.format(Locale.ROOT, "adi-beta-%.2f", beta) : method);
        String token = "<" + action.label() + ">";
        TrainMethod m = TrainMethod.parse(method);
        boolean customDiffusion = m == TrainMethod.CUSTOM_DIFFUSION;
        Path result = customDiffusion ? runDir.resolve("custom_diffusion.safetensors") : new RunFolder(runDir).identifiers();
        if (!Files.isRegularFile(result)) {
            progress.accept("training " + name + " on " + slug(action) + " (" + config.trainSteps() + " steps) ...");
            TrainConfig.Builder b = TrainConfig.defaults(model, exemplars.resolve(ExemplarSet.IMAGES), runDir).toBuilder()
                    .method(m).beta(beta).placeholderToken(token).initializerToken(Action.STANDING.phrase())
                    .maxTrainSteps(config.trainSteps()).checkpointingSteps(Math.max(1, config.trainSteps() / 2))
                    .resumeFromCheckpoint("latest")
                    .resolution(Renderer.TRAINING_SIZE).requireCaptions(true).templates(List.of(ExemplarSet.TEMPLATE))
                    .seed(config.seed()).actionDifferentDir(exemplars.resolve(ExemplarSet.ACTION_DIFFERENT));
            if (!customDiffusion) b.learningRate(config.learningRate());
            new Trainer(b.build(), training).run();
        }
        Path images = runDir.resolve("images");
        if (!customDiffusion) return evaluate(pipe, Identifiers.load(result), name, action, token, images, "");
        // Custom Diffusion's key/value weights go into the shared UNet for this row only
        CustomDiffusionDeltas deltas = CustomDiffusionDeltas.load(result, pipe.unet().config());
        try (CustomDiffusionDeltas.Applied ignored = deltas.applyTo(pipe.unet())) {
            return evaluate(pipe, new Identifiers(Map.of(deltas.token(), deltas.tokenVector())), name, action, token,
                    images, "");
        }
    }

    /** Images of every test subject x seed for "a photo of a &lt;subject&gt; {words}", judged; writes their grid. */
    private Row evaluate(StableDiffusionPipeline pipe, Identifiers ids, String method, Action action, String words,
                         Path dir, String note) throws Exception {
        Score all = Score.EMPTY, unseen = Score.EMPTY;
        List<String> prompts = new ArrayList<>();
        for (Subject subject : config.testSubjects()) prompts.add("a photo of a " + subject.word() + " " + words);
        int n = config.seeds();
        List<BufferedImage> images = Images.fromTensor(pipe.generateBatch(prompts, "", Renderer.TRAINING_SIZE,
                Renderer.TRAINING_SIZE, config.sampleSteps(), config.guidance(), null, config.seed() * 1000, n, ids),
                PixelRange.ZERO_TO_ONE);
        List<Prediction> predictions = judge.classify(images);
        List<List<BufferedImage>> grid = new ArrayList<>();
        for (int s = 0; s < prompts.size(); s++) {
            Subject subject = config.testSubjects().get(s);
            grid.add(images.subList(s * n, (s + 1) * n));
            boolean seen = config.exemplarSubjects().contains(subject);
            for (Prediction p : predictions.subList(s * n, (s + 1) * n)) {
                all = all.plus(p.action() == action, p.subject() == subject);
                if (!seen) unseen = unseen.plus(p.action() == action, p.subject() == subject);
            }
        }
        Path gridFile = dir.resolve("grid.png");
        Grids.write(gridFile, grid, 2);
        return new Row(method, slug(action), all, unseen, note, gridFile);
    }

    static String slug(Action action) {
        return action.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "%-18s %-10s action %5.1f  subject %5.1f  total %5.1f  (%d images) %s",
                r.method(), r.action(), r.all().action(), r.all().subject(), r.all().total(), r.all().images(), r.note());
    }
}
