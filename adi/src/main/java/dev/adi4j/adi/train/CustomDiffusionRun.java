package dev.adi4j.adi.train;

import dev.adi4j.adi.baseline.CustomDiffusion;
import dev.adi4j.adi.data.ActionDataset;
import dev.adi4j.adi.data.Draws;
import dev.adi4j.adi.data.PromptTemplates;
import dev.adi4j.adi.log.TrainingLog;
import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.adi.report.TrainingReport;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code --method custom-diffusion}, the paper's baseline: the cross-attention key/value projections and the
 * placeholder token fine-tuned on all exemplars (one prompt per exemplar from the templates), AdamW, the run's
 * learning-rate schedule. Writes {@code custom_diffusion.safetensors}, which {@code adi generate --custom-diffusion}
 * loads. Checkpointed like the identifier methods (token, key/value weights and AdamW's moments), so a killed run
 * resumes to the same result.
 */
final class CustomDiffusionRun {
    static final String FILE = "custom_diffusion.safetensors";

    private final TrainConfig config;
    private final RunFolder run;
    private final StableDiffusionPipeline pipe;
    private final ActionDataset data;
    private final PromptTemplates templates;
    private final LatentCache cache;
    private final TrainListener listener;

    CustomDiffusionRun(TrainConfig config, RunFolder run, StableDiffusionPipeline pipe, ActionDataset data,
                       PromptTemplates templates, LatentCache cache, TrainListener listener) {
        this.config = config;
        this.run = run;
        this.pipe = pipe;
        this.data = data;
        this.templates = templates;
        this.cache = cache;
        this.listener = listener;
    }

    Trainer.Result run(long t0) throws IOException {
        List<INDArray> images = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) images.add(data.image(i, false));
        List<INDArray> latents = cache.latents("exemplars", images);
        List<CustomDiffusion.Example> examples = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            SplittableRandom rng = Draws.of(config.seed(), 0, i, "custom-diffusion-prompt");
            examples.add(new CustomDiffusion.Example(latents.get(i),
                    templates.prompt(rng, config.placeholderToken(), data.example(i).caption())));
        }
        AdamW adam = new AdamW(new AdamW.Settings(0.9, 0.999, 1e-8, config.adamWeightDecay()));
        Checkpoints checkpoints = new Checkpoints(run.dir());
        CustomDiffusion.Resume resume = resume(checkpoints, adam);
        int start = resume == null ? 0 : resume.step();
        var schedule = config.schedule();
        double base = config.effectiveLearningRate();
        int[] step = {start};
        listener.started(start, config.maxTrainSteps());
        CustomDiffusion.Result result;
        try (TrainingLog log = TrainingLog.open(run.log())) {
            log.truncateAfter(start);
            // the schedule's rate is applied per update: the updater sees each step's parameters in a fixed order
            int perStep = pipe.unet().trainableParameters().size() + 1;
            int[] calls = {start * perStep};
            result = new CustomDiffusion(pipe.unet(), pipe.textEncoder(), pipe.tokenizer(), pipe.schedulerConfig())
                    .train(examples, new CustomDiffusion.Options(config.placeholderToken(), config.initializerToken(),
                                    config.maxTrainSteps(), base, config.seed(), config.model().toString()),
                            (name, param, grad, lr) -> adam.step(name, param, grad,
                                    schedule.lr(base, calls[0]++ / perStep)),
                            (s, total, loss) -> {
                                double lr = schedule.lr(base, s);
                                log.append(new TrainingLog.Step(s + 1, lr, Map.of("anchor", loss), Map.of()));
                                listener.step(s + 1, total, start, loss, lr);
                                step[0] = s + 1;
                            },
                            resume,
                            (done, v, live) -> {
                                if (done % config.checkpointingSteps() == 0 || done == config.maxTrainSteps()) {
                                    checkpoints.save(done, state(v, live, adam), metadata(), config.checkpointsTotalLimit());
                                }
                            });
        }
        Path out = run.dir().resolve(FILE);
        result.deltas().save(out);
        listener.message("custom diffusion model: " + out);
        TrainingReport.write(run.dir(), run.log(), List.of(), Map.of("adi4j.method", config.method().cliName(),
                "adi4j.placeholder", config.placeholderToken()));
        double[] losses = result.losses();
        return new Trainer.Result(out, step[0], losses[losses.length - 1], (System.nanoTime() - t0) / 1e9);
    }

    private static final String TOKEN = "token";
    private static final String WEIGHT = "weight.";
    private static final String OPTIM = "optim.";

    /** The token vector, the key/value weights (diffusers layout) and AdamW's moments after a step. */
    private Map<String, INDArray> state(INDArray v, Map<String, INDArray> live, AdamW adam) {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put(TOKEN, v);
        live.forEach((name, w) -> t.put(WEIGHT + name, pipe.unet().parameterSpec(name).layout().toReference(w)));
        adam.stateTensors().forEach((k, a) -> t.put(OPTIM + k, a));
        return t;
    }

    private Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("adi4j.method", config.method().cliName());
        m.put("adi4j.placeholder", config.placeholderToken());
        m.put("adi4j.seed", Long.toString(config.seed()));
        return m;
    }

    /** The checkpoint asked for, with the optimizer restored; null to start from scratch. */
    private CustomDiffusion.Resume resume(Checkpoints checkpoints, AdamW adam) {
        if (config.resumeFromCheckpoint() == null) return null;
        var found = checkpoints.resolve(config.resumeFromCheckpoint());
        if (found.isEmpty()) {
            listener.message("no checkpoint in " + checkpoints.dir() + " yet: starting from step 0");
            return null;
        }
        Checkpoints.State state = Checkpoints.load(found.get());
        metadata().forEach((key, expected) -> {
            if (!expected.equals(state.metadata().get(key))) {
                throw new IllegalArgumentException(found.get().dir() + ": checkpoint has " + key + " = "
                        + state.metadata().get(key) + ", this run " + expected + " (resume with the same settings)");
            }
        });
        Map<String, INDArray> weights = new LinkedHashMap<>();
        Map<String, INDArray> optim = new LinkedHashMap<>();
        state.tensors().forEach((k, a) -> {
            if (k.startsWith(WEIGHT)) weights.put(k.substring(WEIGHT.length()), a);
            if (k.startsWith(OPTIM)) optim.put(k.substring(OPTIM.length()), a);
        });
        if (!state.tensors().containsKey(TOKEN)) {
            throw new IllegalArgumentException(found.get().state() + ": no tensor '" + TOKEN + "'");
        }
        adam.loadState(optim);
        listener.message("resumed from " + found.get().dir() + " (step " + found.get().step() + ")");
        return new CustomDiffusion.Resume(found.get().step(), state.tensors().get(TOKEN), weights);
    }
}
