package dev.adi4j.adi.train;

import dev.adi4j.adi.baseline.ActionDifferentSamples;
import dev.adi4j.adi.baseline.CustomDiffusion;
import dev.adi4j.adi.data.ActionDataset;
import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.core.image.Images;
import dev.adi4j.core.image.PixelRange;
import dev.adi4j.core.image.PngWriter;
import dev.adi4j.core.image.Preprocess;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * ADI's action-different samples made by adi4j itself ({@code [ours]} in adi-method.md): for anchor i, fine-tune a
 * Custom Diffusion subject model on that one image (key/value projections + a subject token) and draw
 * "a photo of &lt;subject&gt; person &lt;other action&gt;". Each sample is saved as a PNG under
 * {@code action-different/} named by a hash of everything that made it (model, anchor pixels, steps, learning rate,
 * phrase, seed, size), and read back from there, so reruns and resumed runs reuse it and see exactly the same pixels.
 */
final class GeneratedActionDifferent implements ActionDifferentSource {
    static final String SUBJECT_TOKEN = "<adi-subject>";

    private final StableDiffusionPipeline pipe;
    private final ActionDataset data;
    private final LatentCache cache;
    private final TrainConfig config;
    private final String modelIdentity;
    private final Path dir;
    private final TrainListener listener;
    private List<INDArray> anchorLatents;

    GeneratedActionDifferent(StableDiffusionPipeline pipe, ActionDataset data, LatentCache cache, TrainConfig config,
                             String modelIdentity, Path runDir, TrainListener listener) {
        this.pipe = pipe;
        this.data = data;
        this.cache = cache;
        this.config = config;
        this.modelIdentity = modelIdentity;
        this.dir = runDir.resolve("action-different");
        this.listener = listener;
    }

    @Override
    public INDArray image(int anchorIndex) {
        String phrase = config.actionDifferentPhrases().get(anchorIndex % config.actionDifferentPhrases().size());
        Path file = dir.resolve(name(anchorIndex) + "-" + key(anchorIndex, phrase) + ".png");
        if (!Files.isRegularFile(file)) generate(anchorIndex, phrase, file);
        return Preprocess.load(file, config.resolution(), Preprocess.Convention.TEXT_TO_IMAGE_RESIZE_THEN_CROP);
    }

    private void generate(int i, String phrase, Path file) {
        listener.message("  subject model for " + data.example(i).file().getFileName() + " (" + config.actionDifferentSteps()
                + " steps), then \"" + phrase + "\" ...");
        CustomDiffusion subject = new CustomDiffusion(pipe.unet(), pipe.textEncoder(), pipe.tokenizer(),
                pipe.schedulerConfig());
        AdamW adam = new AdamW(AdamW.Settings.torchDefaults());
        CustomDiffusion.Result trained = subject.train(
                List.of(new CustomDiffusion.Example(latents().get(i), "a photo of " + SUBJECT_TOKEN + " person")),
                new CustomDiffusion.Options(SUBJECT_TOKEN, config.initializerToken(), config.actionDifferentSteps(),
                        config.actionDifferentLr(), seed(i), config.model().toString()),
                adam::step, CustomDiffusion.Progress.NONE);
        ActionDifferentSamples.Sample s = ActionDifferentSamples.generate(pipe, trained.deltas(), List.of(phrase),
                ActionDifferentSamples.Settings.of(config.resolution(), config.resolution(), seed(i))).get(0);
        BufferedImage png = Images.fromTensor(s.image(), PixelRange.ZERO_TO_ONE).get(0);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        PngWriter.write(png, file, Map.of(PngWriter.PARAMETERS_KEY, s.prompt(), "adi4j.anchor",
                data.example(i).file().toString()), true);
    }

    private List<INDArray> latents() {
        if (anchorLatents == null) {
            List<INDArray> images = new java.util.ArrayList<>();
            for (int i = 0; i < data.size(); i++) images.add(data.image(i, false));
            anchorLatents = cache.latents("exemplars", images);
        }
        return anchorLatents;
    }

    private long seed(int anchorIndex) {
        return config.seed() * 1_000_003L + anchorIndex;
    }

    private String name(int i) {
        String f = data.example(i).file().getFileName().toString();
        return f.contains(".") ? f.substring(0, f.lastIndexOf('.')) : f;
    }

    private String key(int i, String phrase) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(String.join("|", modelIdentity, phrase, Integer.toString(config.actionDifferentSteps()),
                    Double.toString(config.actionDifferentLr()), Long.toString(seed(i)),
                    Integer.toString(config.resolution()), config.initializerToken()).getBytes(StandardCharsets.UTF_8));
            float[] v = data.image(i, false).castTo(DataType.FLOAT).dup('c').data().asFloat();
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) b.putFloat(f);
            md.update(b.array());
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
