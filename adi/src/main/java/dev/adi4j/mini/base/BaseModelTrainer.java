package dev.adi4j.mini.base;

import dev.adi4j.core.io.AtomicWrite;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.text.ClipTextModel;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains the mini world's base model from scratch: denoising loss (the model config's prediction type) on rendered images
 * (diffusers' add_noise, cosine schedule), 10% empty prompts, AdamW, EMA, global-norm clipping. What trains:
 * every UNet weight and the text encoder's token embeddings; the text encoder's transformer stays at its random
 * initialisation (its weights have no gradients in adi4j; a frozen random encoder with trained embeddings is a
 * known working design for tiny models). The run folder holds init/ (the random initial model),
 * checkpoint.safetensors (atomic, every {@code checkpointEvery} steps and at the end), train.log, and after
 * the last step model/ (the EMA weights as a model folder with a model card). Run again on the same folder to
 * resume; a killed run resumes bit-identically from its last checkpoint.
 */
public final class BaseModelTrainer {
    /** Sub-folder of the run folder holding the exported model. */
    public static final String MODEL = "model";

    private BaseModelTrainer() {
    }

    /** What a finished run produced. */
    public record Result(Path model, long steps, double finalLoss, double trainSeconds, double stepsPerSecond) {
    }

    /** Trains (or resumes) in {@code runDir} up to {@code config.steps()} and exports model/; progress lines go to {@code progress}. */
    public static Result run(BaseTrainConfig config, Path runDir, Consumer<String> progress) throws Exception {
        Files.createDirectories(runDir);
        Path log = runDir.resolve("train.log");
        Consumer<String> out = line -> {
            progress.accept(line);
            try {
                Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Path checkpoint = runDir.resolve(TrainingSession.CHECKPOINT);
        try (TrainingSession s = new TrainingSession(config, runDir)) {
            if (Files.isRegularFile(checkpoint)) {
                s.restore(checkpoint);
                out.accept("resumed at step " + s.step + " from " + checkpoint);
            } else {
                out.accept("training from scratch: " + config);
            }
            long start = System.nanoTime();
            long firstStep = s.step;
            double windowLoss = 0;
            int windowSteps = 0;
            double lastLoss = Double.NaN;
            long windowStart = System.nanoTime();
            while (s.step < config.steps()) {
                lastLoss = s.step();
                if (!Double.isFinite(lastLoss)) throw new IllegalStateException("loss is " + lastLoss + " at step " + s.step);
                windowLoss += lastLoss;
                windowSteps++;
                if (s.step % config.logEvery() == 0 || s.step == config.steps()) {
                    double secs = (System.nanoTime() - windowStart) / 1e9;
                    out.accept(String.format(Locale.ROOT, "step %d/%d loss %.5f (mean of last %d %.5f) %.3f steps/s lr %.2e",
                            s.step, config.steps(), lastLoss, windowSteps, windowLoss / windowSteps, windowSteps / secs,
                            config.lrAt(s.step)));
                    windowLoss = 0;
                    windowSteps = 0;
                    windowStart = System.nanoTime();
                }
                if (s.step % config.checkpointEvery() == 0) s.save(checkpoint);
            }
            s.save(checkpoint);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = s.step > firstStep ? (s.step - firstStep) / seconds : 0;
            Path model = runDir.resolve(MODEL);
            export(s, runDir, model);
            out.accept(String.format(Locale.ROOT, "exported %s after %d steps (%.1f s this session, %.3f steps/s)",
                    model, s.step, seconds, rate));
            return new Result(model, s.step, lastLoss, seconds, rate);
        }
    }

    /**
     * Writes the rendered, encoded training set of {@code runDir}'s run (creating its init/ if new) to {@code file},
     * for the PyTorch yardstick (tools/parity/train_base_torch.py); nothing is trained.
     */
    public static void writeTrainingData(BaseTrainConfig config, Path runDir, Path file) throws Exception {
        Files.createDirectories(runDir);
        try (TrainingSession s = new TrainingSession(config, runDir)) {
            s.data.write(file);
        }
    }

    /** Writes the EMA weights as a model folder (configs, tokenizer, codec, weights, README.md), replacing it atomically. */
    static void export(TrainingSession s, Path runDir, Path model)
            throws IOException {
        Path tmp = runDir.resolve(MODEL + ".tmp");
        TrainingSession.deleteTree(tmp);
        MiniModelFolder.writeConfigs(tmp, s.config.model(), s.tokenizer);
        MiniModelFolder.writeWeights(tmp.resolve(ModelFolder.UNET).resolve(UNet.WEIGHTS_FILE), s.emaUNetReference());
        Map<String, INDArray> text = new LinkedHashMap<>();
        Path init = runDir.resolve(TrainingSession.INIT).resolve(ModelFolder.TEXT_ENCODER).resolve(ClipTextEncoder.WEIGHTS_FILE);
        try (SafetensorsReader r = SafetensorsReader.open(init)) {
            for (String n : r.names()) text.put(n, r.loadFloat(n));
        }
        text.put(ClipTextModel.TOKEN_EMBEDDING, s.emaTokens());
        MiniModelFolder.writeWeights(tmp.resolve(ModelFolder.TEXT_ENCODER).resolve(ClipTextEncoder.WEIGHTS_FILE), text);
        String card = ModelCard.text(s.config, s.step, TrainLogSummary.of(runDir.resolve("train.log")));
        AtomicWrite.write(tmp.resolve("README.md"), true, t -> Files.writeString(t, card));
        Path old = runDir.resolve(MODEL + ".old");
        TrainingSession.deleteTree(old);
        if (Files.exists(model)) Files.move(model, old);
        Files.move(tmp, model);
        TrainingSession.deleteTree(old);
    }
}
