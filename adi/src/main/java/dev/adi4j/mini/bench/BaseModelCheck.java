package dev.adi4j.mini.bench;

import dev.adi4j.core.image.Images;
import dev.adi4j.core.image.PixelRange;
import dev.adi4j.core.io.AtomicWrite;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.mini.judge.Judge;
import dev.adi4j.mini.judge.Prediction;
import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.Background;
import dev.adi4j.mini.world.BodyColor;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.Jitter;
import dev.adi4j.mini.world.Renderer;
import dev.adi4j.mini.world.Scene;
import dev.adi4j.mini.world.Subject;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Judge and base model checked together before any method is scored: the base model draws every subject doing every
 * action its captions name, and the judge must recognise the prompted subject and action. Two prompt forms: the
 * training captions' ("a photo of a red cat saluting on a blue background", colour and background cycling) and the
 * bench's short one ("a photo of a cat saluting").
 */
public final class BaseModelCheck {
    /** Scores of one prompt form, and its grid (rows: actions, columns: subjects; first seed). */
    public record Result(String form, Score score, Path grid) {
        public String line() {
            return String.format(Locale.ROOT, "%s prompts: subject %.1f%%, action %.1f%%, both %.1f%% (%d images)", form,
                    score.subject(), score.action(), score.total(), score.images());
        }
    }

    private BaseModelCheck() {
    }

    /** Runs both prompt forms; grids go to {@code out}. */
    public static List<Result> run(Path model, Judge judge, int seeds, int sampleSteps, double guidance, long seed,
                                   Path out, Consumer<String> progress) throws Exception {
        List<Result> results = new ArrayList<>();
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(model)) {
            for (boolean full : new boolean[]{true, false}) {
                String form = full ? "caption" : "short";
                Score score = Score.EMPTY;
                List<List<BufferedImage>> rows = new ArrayList<>();
                int k = 0;
                // the actions the base model was trained on with their names: standing is not among the training
                // images (Mix.all), the held-out actions are never named
                for (Action action : Action.performed()) {
                    if (CaptionPolicy.DEFAULT.isHeldOut(action)) continue;
                    List<String> prompts = new ArrayList<>();
                    for (Subject subject : Subject.values()) {
                        prompts.add(full ? caption(subject, action, k++) : "a photo of a " + subject.word() + " " + action.phrase());
                    }
                    List<BufferedImage> images = Images.fromTensor(pipe.generateBatch(prompts, "", Renderer.TRAINING_SIZE,
                            Renderer.TRAINING_SIZE, sampleSteps, guidance, null, seed * 1000, seeds, Identifiers.none()),
                            PixelRange.ZERO_TO_ONE);
                    List<Prediction> predictions = judge.classify(images);
                    List<BufferedImage> row = new ArrayList<>();
                    for (int s = 0; s < prompts.size(); s++) {
                        Subject subject = Subject.values()[s];
                        row.add(images.get(s * seeds));
                        for (Prediction p : predictions.subList(s * seeds, (s + 1) * seeds)) {
                            score = score.plus(p.action() == action, p.subject() == subject);
                        }
                    }
                    rows.add(row);
                    progress.accept(form + " prompts: " + action.phrase() + " done");
                }
                Path grid = out.resolve("base-check-" + form + ".png");
                Grids.write(grid, rows, 2);
                results.add(new Result(form, score, grid));
            }
        }
        return results;
    }

    /** Heading of the model card's section written by {@link #writeCard}. */
    static final String CARD_SECTION = "## Checked by the judge";

    /**
     * Records the check in a model folder: {@code samples.png} (the caption-prompt grid) and a section of its
     * README.md (replaced when present), so the committed model states how well it draws what it was taught.
     */
    public static void writeCard(Path model, List<Result> results, int seeds, int sampleSteps, double guidance)
            throws IOException {
        Path card = model.resolve("README.md");
        String text = Files.isRegularFile(card) ? Files.readString(card) : "";
        int at = text.indexOf(CARD_SECTION);
        if (at >= 0) text = text.substring(0, at);
        StringBuilder sb = new StringBuilder(text.stripTrailing()).append("\n\n").append(CARD_SECTION).append("\n")
                .append(String.format(Locale.ROOT, "`adi mini check-base --seeds %d --steps %d --guidance %.1f`: every subject doing every "
                        + "action its captions name, %d images each, DDIM %d steps, guidance %.1f, scored by the bundled judge:%n",
                        seeds, sampleSteps, guidance, seeds, sampleSteps, guidance));
        for (Result r : results) sb.append("- ").append(r.line()).append('\n');
        sb.append("\n![samples](samples.png)\n\nRows: the captioned actions; columns: man, woman, child, "
                + "robot, cat, dog, bear, bird; caption-style prompts, first seed.\n");
        for (Result r : results) {
            if (r.form().equals("caption")) {
                AtomicWrite.write(model.resolve("samples.png"), true,
                        tmp -> Files.copy(r.grid(), tmp, StandardCopyOption.REPLACE_EXISTING));
            }
        }
        AtomicWrite.write(card, true, tmp -> Files.writeString(tmp, sb.toString()));
    }

    /** A training caption; colour and background cycle with {@code k} so every prompt is a new combination. */
    static String caption(Subject subject, Action action, int k) {
        BodyColor color = BodyColor.values()[k % BodyColor.values().length];
        Background bg = Background.values()[(k / 3) % Background.values().length];
        return CaptionPolicy.DEFAULT.caption(new Scene(subject, color, action, bg, Jitter.NONE));
    }
}
