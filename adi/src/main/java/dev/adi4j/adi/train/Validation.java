package dev.adi4j.adi.train;

import dev.adi4j.adi.report.TrainingReport;
import dev.adi4j.core.image.ImageSet;
import dev.adi4j.core.image.Images;
import dev.adi4j.core.image.PixelRange;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.GenerationRequest;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.diffusion.pipeline.StepListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation images during training ({@code validation/step-<N>/}, the same seeds every time so the grids show the
 * identifiers' progress) and the run's {@code report.html}.
 */
final class Validation {
    private static final double GUIDANCE = 7.5;

    private final TrainConfig config;
    private final RunFolder run;
    private final StableDiffusionPipeline pipe;
    private final TrainListener listener;

    Validation(TrainConfig config, RunFolder run, StableDiffusionPipeline pipe, TrainListener listener) {
        this.config = config;
        this.run = run;
        this.pipe = pipe;
        this.listener = listener;
    }

    void run(int step, INDArray v) {
        if (config.validationPrompt() == null) return;
        listener.message("validation images at step " + step + " ...");
        GenerationRequest r = new GenerationRequest(config.validationPrompt(), "", config.resolution(),
                config.resolution(), config.validationInferenceSteps(), GUIDANCE, null, config.seed(),
                config.numValidationImages());
        INDArray images = pipe.generate(r, new Identifiers(Map.of(config.placeholderToken(), v)), StepListener.NONE);
        List<BufferedImage> pictures = Images.fromTensor(images, PixelRange.ZERO_TO_ONE);
        ImageSet set = ImageSet.of(folder(step), "image",
                ImageSet.consecutiveSeeds(config.seed(), config.numValidationImages()));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("Steps", Integer.toString(r.steps()));
        settings.put("CFG scale", Double.toString(GUIDANCE));
        settings.put("Seed", Long.toString(r.seed()));
        settings.put("Size", r.width() + "x" + r.height());
        settings.put("Training step", Integer.toString(step));
        try {
            Files.createDirectories(folder(step));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder(step) + ": " + e.getMessage(), e);
        }
        set.write(pictures, r.prompt(), "", settings, Map.of("adi4j.method", config.method().cliName()), true);
    }

    /** Writes report.html from the log and every validation grid present. */
    void report(Map<String, String> metadata) {
        List<TrainingReport.ValidationImage> grids = new ArrayList<>();
        Path root = run.validation();
        if (Files.isDirectory(root)) {
            try (var dirs = Files.list(root)) {
                for (Path d : dirs.sorted().toList()) {
                    String name = d.getFileName().toString();
                    if (!name.startsWith("step-")) continue;
                    int step = Integer.parseInt(name.substring(5));
                    Path grid = ImageSet.of(d, "image", ImageSet.consecutiveSeeds(config.seed(),
                            config.numValidationImages())).grid();
                    if (Files.isRegularFile(grid)) {
                        grids.add(new TrainingReport.ValidationImage(step, grid, config.validationPrompt()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        Path report = TrainingReport.write(run.dir(), run.log(), grids, metadata);
        listener.message("report: " + report);
    }

    private Path folder(int step) {
        return run.validation().resolve(String.format("step-%06d", step));
    }
}
