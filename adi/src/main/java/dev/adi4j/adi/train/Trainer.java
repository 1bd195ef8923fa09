package dev.adi4j.adi.train;

import dev.adi4j.adi.log.TrainingLog;
import dev.adi4j.adi.baseline.CustomDiffusion;
import dev.adi4j.adi.data.ActionDataset;
import dev.adi4j.adi.data.DataOptions;
import dev.adi4j.adi.data.Draws;
import dev.adi4j.adi.data.PromptTemplates;
import dev.adi4j.adi.identifier.LayerWiseObjective;
import dev.adi4j.adi.mask.GradientMasks;
import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.adi.optim.LrSchedule;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.model.WeightFiles;
import dev.adi4j.core.tokenizer.Tokenizer;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.diffusion.scheduler.DdpmTraining;
import dev.adi4j.diffusion.scheduler.NoiseSource;
import dev.adi4j.diffusion.unet.UNet2DConditionModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Learns identifiers for one action: Textual Inversion, P+, ADI or an ADI ablation (the method only changes which
 * samples a step needs and which gradient mask is applied). Every random choice of a step — anchor, context
 * exemplar, template, timestep, noise, flip — is a function of (seed, step), and the only state carried from step to
 * step is the identifiers and the optimizer's moments, both in each checkpoint: a run resumed from a checkpoint
 * continues to bit-identical identifiers.
 */
public final class Trainer {
    /** Name of the identifiers tensor in checkpoints and of the optimizer's parameter. */
    static final String PARAM = "identifiers";
    private static final String OPTIM_PREFIX = "optim.";

    private final TrainConfig config;
    private final TrainListener listener;
    private final RunFolder run;

    /** What a finished run produced. */
    public record Result(Path identifiers, int steps, double lastLoss, double seconds) {
    }

    public Trainer(TrainConfig config, TrainListener listener) {
        this.config = config.validate();
        this.listener = listener;
        this.run = new RunFolder(config.outputDir());
    }

    /** Trains (or resumes) to {@code maxTrainSteps} and writes the run folder. */
    public Result run() {
        long t0 = System.nanoTime();
        run.create();
        run.writeConfig(config);
        ActionDataset data = ActionDataset.load(config.trainDataDir(), new DataOptions(config.resolution(),
                config.randomFlip(), config.requireCaptions(), config.seed()));
        PromptTemplates templates = PromptTemplates.of(config.templates());
        listener.message("loading " + config.model() + " ...");
        // The UNet's key/value projections are trainable exactly when a subject model is fine-tuned in this run, a
        // function of the settings alone, so that a resumed run computes with the very same graphs.
        boolean subjectModel = config.method() == TrainMethod.CUSTOM_DIFFUSION
                || (config.method().needsActionSample() && config.actionDifferentDir() == null);
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(ModelFolder.open(config.model()),
                subjectModel ? CustomDiffusion.TRAINABLE : name -> false)) {
            int factor = pipe.codec().downscaleFactor();
            int minSide = UNet2DConditionModel.minimumLatentSide(pipe.unet().config()) * factor;
            if (config.resolution() < minSide || config.resolution() % factor != 0) {
                throw new IllegalArgumentException("--resolution " + config.resolution() + ": this model needs a multiple of "
                        + factor + " of at least " + minSide + " (as adi generate's --size)");
            }
            String identity = modelIdentity();
            LatentCache cache = new LatentCache(run.dir(), pipe.codec(), identity);
            if (config.method() == TrainMethod.CUSTOM_DIFFUSION) {
                return new CustomDiffusionRun(config, run, pipe, data, templates, cache, listener).run(t0);
            }
            Tokens tokens = Tokens.add(pipe.tokenizer(), config.placeholderToken(), config.initializerToken());
            int layers = pipe.unet().crossAttentionLayers();
            int rows = config.method().maskMethod().layerWise() ? layers : 1;
            INDArray v = initialIdentifiers(pipe, tokens.initializerId(), rows);
            AdamW adam = new AdamW(new AdamW.Settings(0.9, 0.999, 1e-8, config.adamWeightDecay()));
            Checkpoints checkpoints = new Checkpoints(run.dir());
            int start = resume(checkpoints, v, adam);

            ActionDifferentSource actionDifferent = !config.method().needsActionSample() ? null
                    : config.actionDifferentDir() != null ? new SuppliedActionDifferent(config.actionDifferentDir(), data)
                    : new GeneratedActionDifferent(pipe, data, cache, config, identity, run.dir(), listener);
            PreparedData prepared = PreparedData.prepare(data, cache, actionDifferent, listener);

            StepRunner steps = new StepRunner(config, prepared, templates, tokens, pipe.tokenizer(),
                    new LayerWiseObjective(pipe.textEncoder(), pipe.unet()), DdpmTraining.of(pipe.schedulerConfig()),
                    new GradientMasks(config.method().maskMethod(), config.beta(), config.maskScope()), layers);
            Validation validation = new Validation(config, run, pipe, listener);
            LrSchedule schedule = config.schedule();
            double lastLoss = Double.NaN;
            try (TrainingLog log = TrainingLog.open(run.log())) {
                log.truncateAfter(start);
                listener.started(start, config.maxTrainSteps());
                for (int step = start; step < config.maxTrainSteps(); step++) {
                    double lr = schedule.lr(config.effectiveLearningRate(), step);
                    StepRunner.Outcome out = steps.run(step, v);
                    adam.step(PARAM, v, out.gradient(), lr);
                    lastLoss = out.losses().get("anchor");
                    log.append(new TrainingLog.Step(step + 1, lr, out.losses(), out.kept()));
                    listener.step(step + 1, config.maxTrainSteps(), start, lastLoss, lr);
                    boolean last = step + 1 == config.maxTrainSteps();
                    if ((step + 1) % config.checkpointingSteps() == 0 || last) {
                        checkpoints.save(step + 1, state(v, adam), metadata(step + 1), config.checkpointsTotalLimit());
                    }
                    if ((step + 1) % config.validationSteps() == 0 || last) validation.run(step + 1, v);
                }
            }
            Path out = saveIdentifiers(v, config.maxTrainSteps());
            validation.report(metadata(config.maxTrainSteps()));
            return new Result(out, config.maxTrainSteps(), lastLoss, (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every row starts at the initializer word's token embedding. */
    private static INDArray initialIdentifiers(StableDiffusionPipeline pipe, int initializerId, int rows) {
        INDArray row = pipe.textEncoder().embed(new int[][]{{initializerId}}, Map.of()).reshape(1, -1);
        return row.repeat(0, rows).dup();
    }

    /** Restores identifiers and optimizer from the checkpoint asked for; returns the step to continue from. */
    private int resume(Checkpoints checkpoints, INDArray v, AdamW adam) {
        if (config.resumeFromCheckpoint() == null) return 0;
        var found = checkpoints.resolve(config.resumeFromCheckpoint());
        if (found.isEmpty()) {
            listener.message("no checkpoint in " + checkpoints.dir() + " yet: starting from step 0");
            return 0;
        }
        Checkpoints.State state = Checkpoints.load(found.get());
        for (String key : List.of("adi4j.method", "adi4j.placeholder", "adi4j.seed")) {
            String expected = metadata(0).get(key);
            if (!expected.equals(state.metadata().get(key))) {
                throw new IllegalArgumentException(found.get().dir() + ": checkpoint has " + key + " = "
                        + state.metadata().get(key) + ", this run " + expected + " (resume with the same settings)");
            }
        }
        INDArray saved = state.tensors().get(PARAM);
        if (saved == null || !java.util.Arrays.equals(saved.shape(), v.shape())) {
            throw new IllegalArgumentException(found.get().state() + ": no identifiers of shape "
                    + java.util.Arrays.toString(v.shape()));
        }
        v.assign(saved);
        Map<String, INDArray> optim = new LinkedHashMap<>();
        state.tensors().forEach((k, a) -> {
            if (k.startsWith(OPTIM_PREFIX)) optim.put(k.substring(OPTIM_PREFIX.length()), a);
        });
        adam.loadState(optim);
        listener.message("resumed from " + found.get().dir() + " (step " + found.get().step() + ")");
        return found.get().step();
    }

    private static Map<String, INDArray> state(INDArray v, AdamW adam) {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put(PARAM, v);
        adam.stateTensors().forEach((k, a) -> t.put(OPTIM_PREFIX + k, a));
        return t;
    }

    /** What the identifiers file and the checkpoints say about the run. */
    Map<String, String> metadata(int steps) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("adi4j.base_model", config.model().toAbsolutePath().normalize().toString());
        m.put("adi4j.method", config.method().cliName());
        m.put("adi4j.beta", Double.toString(config.beta()));
        m.put("adi4j.mask_scope", config.maskScope().cliName());
        m.put("adi4j.steps", Integer.toString(steps));
        m.put("adi4j.placeholder", config.placeholderToken());
        m.put("adi4j.initializer", config.initializerToken());
        m.put("adi4j.templates", String.join("\n", config.templates()));
        m.put("adi4j.seed", Long.toString(config.seed()));
        return m;
    }

    private Path saveIdentifiers(INDArray v, int steps) throws IOException {
        Identifiers ids = new Identifiers(Map.of(config.placeholderToken(), v));
        ids.save(run.identifiers(), metadata(steps));
        if (config.method() == TrainMethod.TI) {
            // diffusers' textual_inversion convention: {placeholder: [num_vectors, D]} in learned_embeds.safetensors
            new dev.adi4j.core.safetensors.SafetensorsWriter().add(config.placeholderToken(), v)
                    .write(run.dir().resolve("learned_embeds.safetensors"));
        }
        listener.message("identifiers: " + run.identifiers());
        return run.identifiers();
    }

    /** The model folder and its weight files' sizes and times: changes when any network's weights change. */
    private String modelIdentity() {
        StringBuilder sb = new StringBuilder(config.model().toAbsolutePath().normalize().toString());
        ModelFolder folder = ModelFolder.open(config.model());
        List<Path> files = new ArrayList<>();
        for (WeightFiles w : List.of(folder.unetWeights(), folder.textEncoderWeights())) files.addAll(w.files());
        // a model with a fixed codec (codec.json) has no VAE weights
        if (Files.isDirectory(folder.root().resolve("vae"))) files.addAll(folder.vaeWeights().files());
        for (Path f : files) {
            try {
                sb.append('|').append(f).append(':').append(Files.size(f)).append(':').append(Files.getLastModifiedTime(f));
            } catch (IOException e) {
                sb.append('|').append(f);
            }
        }
        return sb.toString();
    }

    /** The placeholder's id (added to the tokenizer) and the initializer word's single token id. */
    record Tokens(int placeholderId, int initializerId) {
        static Tokens add(Tokenizer tokenizer, String placeholder, String initializer) {
            int[] init = content(tokenizer, tokenizer.encode(initializer));
            if (init.length != 1) {
                throw new IllegalArgumentException("--initializer-token '" + initializer + "' is " + init.length
                        + " tokens for this tokenizer; it must be exactly one (e.g. person, man, dog)");
            }
            int[] existing;
            try {
                existing = content(tokenizer, tokenizer.encode(placeholder));
            } catch (dev.adi4j.core.tokenizer.TokenizerException e) {
                existing = new int[0]; // a word-level vocabulary refuses unknown words: the placeholder is new
            }
            if (existing.length == 1 && existing[0] < tokenizer.vocabSize()) {
                throw new IllegalArgumentException("--placeholder-token '" + placeholder + "' is already a word of the "
                        + "tokenizer (id " + existing[0] + "); choose a new token such as <" + placeholder + ">");
            }
            return new Tokens(tokenizer.addToken(placeholder), init[0]);
        }

        /** The ids between the start token and the end/padding. */
        private static int[] content(Tokenizer t, int[] ids) {
            List<Integer> out = new ArrayList<>();
            for (int i = 1; i < ids.length && ids[i] != t.eosId(); i++) out.add(ids[i]);
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Seeds of one draw of a step: a function of (seed, step, micro-step) only. */
    static SplittableRandom draw(long seed, int step, int micro) {
        return Draws.of(seed, step, micro, "step");
    }

    /** Gaussian noise of a draw. */
    static NoiseSource noise(long noiseSeed) {
        return NoiseSource.gaussian(noiseSeed);
    }
}
