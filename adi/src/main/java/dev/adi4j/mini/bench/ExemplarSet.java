package dev.adi4j.mini.bench;

import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.Mix;
import dev.adi4j.mini.world.MiniDataset;
import dev.adi4j.mini.world.Renderer;
import dev.adi4j.mini.world.Sample;
import dev.adi4j.mini.world.Scene;
import dev.adi4j.mini.world.Subject;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training folder of one action for identifier methods: {@code count} rendered exemplars of the action (subjects
 * from {@code subjects}, colours and backgrounds varied), each captioned by its appearance only ("a red robot": the
 * template "a photo of {caption} {}" leaves the action to the identifier), and for each exemplar its
 * action-different sample: the very same scene (subject, colour, background, placement) doing another, captioned
 * action. The paper generates those with a subject-customized model; the mini world can render them exactly.
 */
public record ExemplarSet(Action action, List<Sample> exemplars, List<Scene> actionDifferent) {
    /** The folder of the images and {@code captions.txt}. */
    public static final String IMAGES = "images";
    /** The folder of the action-different samples (same file names). */
    public static final String ACTION_DIFFERENT = "action-different";
    /** The training template: appearance from the caption, the action from the identifier. */
    public static final String TEMPLATE = "a photo of {caption} {}";

    /** The exemplars of {@code action} for a bench seed. */
    public static ExemplarSet of(Action action, long seed, int count, List<Subject> subjects, CaptionPolicy policy) {
        List<Sample> samples = MiniDataset.generate(seed, count,
                Mix.all().withActions(action).withSubjects(subjects.toArray(Subject[]::new)), policy);
        List<Action> others = new ArrayList<>();
        for (Action a : Action.values()) if (a != action && !policy.isHeldOut(a)) others.add(a);
        List<Scene> different = new ArrayList<>();
        for (Sample s : samples) {
            Scene sc = s.scene();
            different.add(new Scene(sc.subject(), sc.color(), others.get(s.index() % others.size()), sc.background(),
                    sc.jitter()));
        }
        return new ExemplarSet(action, samples, different);
    }

    /** The appearance caption of an exemplar, e.g. "a red robot". */
    public static String appearance(Scene scene) {
        String color = scene.color().word();
        return CaptionPolicy.article(color) + " " + color + " " + scene.subject().word();
    }

    /** Writes {@code dir/images/NN.png}, {@code dir/images/captions.txt} and {@code dir/action-different/NN.png}. */
    public void write(Path dir, int size) {
        try {
            Path images = Files.createDirectories(dir.resolve(IMAGES));
            Path different = Files.createDirectories(dir.resolve(ACTION_DIFFERENT));
            StringBuilder captions = new StringBuilder();
            for (int i = 0; i < exemplars.size(); i++) {
                String name = String.format(Locale.ROOT, "%02d.png", i);
                Scene scene = exemplars.get(i).scene();
                ImageIO.write(Renderer.render(scene, size), "png", images.resolve(name).toFile());
                ImageIO.write(Renderer.render(actionDifferent.get(i), size), "png", different.resolve(name).toFile());
                captions.append(name).append('\t').append(appearance(scene)).append('\n');
            }
            Files.writeString(images.resolve("captions.txt"), captions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the exemplars of " + action + " into " + dir, e);
        }
    }

    /** The subjects the exemplars show (the bench's "seen" subjects). */
    public List<Subject> subjects() {
        return exemplars.stream().map(s -> s.scene().subject()).distinct().toList();
    }
}
