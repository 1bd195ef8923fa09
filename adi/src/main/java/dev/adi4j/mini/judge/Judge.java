package dev.adi4j.mini.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adi4j.core.io.AtomicWrite;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.Subject;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mini world's judge: which subject and which action (STANDING included) a 32x32 RGB image shows. A saved judge
 * is a folder with {@value #WEIGHTS} and {@value #CARD}.
 */
public final class Judge {
    public static final String WEIGHTS = "judge.safetensors";
    public static final String CARD = "judge.json";
    /** The committed judge, a classpath folder. */
    static final String BUNDLED = "/dev/adi4j/mini/judge/";
    static final int BATCH = 64;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final JudgeNet net;
    private final JudgeCard card;

    Judge(JudgeNet net, JudgeCard card) {
        this.net = net;
        this.card = card;
    }

    /** Loads a judge folder written by {@link #save} (or by {@link JudgeTrainer#train}). */
    public static Judge load(Path folder) {
        try {
            JudgeCard card = JSON.readValue(folder.resolve(CARD).toFile(), JudgeCard.class);
            if (card.format() != JudgeCard.FORMAT) {
                throw new IllegalArgumentException(folder.resolve(CARD) + " has format " + card.format()
                        + ", this adi4j reads " + JudgeCard.FORMAT);
            }
            checkClasses(folder, card);
            Map<String, INDArray> weights;
            try (SafetensorsReader r = SafetensorsReader.open(folder.resolve(WEIGHTS))) {
                weights = new LinkedHashMap<>();
                for (String name : r.names()) weights.put(name, r.loadFloat(name));
            }
            return new Judge(new JudgeNet(card.config(), BATCH, weights), card);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the judge in " + folder, e);
        }
    }

    /** The judge committed with adi4j (trained by {@link JudgeTrainer} with {@link JudgeTrainConfig#standard()}). */
    public static Judge bundled() {
        try {
            Path dir = Files.createTempDirectory("adi4j-judge");
            try {
                for (String f : List.of(WEIGHTS, CARD)) {
                    try (InputStream in = Judge.class.getResourceAsStream(BUNDLED + f)) {
                        if (in == null) throw new IllegalStateException("no bundled judge: " + BUNDLED + f + " missing");
                        Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return load(dir);
            } finally {
                for (String f : List.of(WEIGHTS, CARD)) Files.deleteIfExists(dir.resolve(f));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled judge", e);
        }
    }

    private static void checkClasses(Path folder, JudgeCard card) {
        List<String> subjects = Arrays.stream(Subject.values()).map(Enum::name).toList();
        List<String> actions = Arrays.stream(Action.values()).map(Enum::name).toList();
        if (!card.subjects().equals(subjects) || !card.actions().equals(actions)) {
            throw new IllegalArgumentException(folder + " was trained for subjects " + card.subjects() + " and actions "
                    + card.actions() + ", this mini world has " + subjects + " and " + actions);
        }
    }

    /** Writes {@value #WEIGHTS} and {@value #CARD} into {@code folder}, each atomically. */
    public void save(Path folder) throws IOException {
        Files.createDirectories(folder);
        SafetensorsWriter w = new SafetensorsWriter();
        net.parameters().forEach(w::add);
        w.write(folder.resolve(WEIGHTS));
        byte[] json = JSON.writeValueAsBytes(card);
        AtomicWrite.write(folder.resolve(CARD), true, tmp -> Files.write(tmp, json));
    }

    public JudgeCard card() { return card; }

    public JudgeConfig config() { return net.config(); }

    /** Judges each image; all must be {@code imageSize x imageSize} (32x32 for the standard judge). */
    public List<Prediction> classify(List<BufferedImage> images) {
        int size = net.config().imageSize();
        for (int i = 0; i < images.size(); i++) JudgeImages.checked(images.get(i), i, size);
        List<Prediction> out = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += net.batch()) {
            List<BufferedImage> part = images.subList(start, Math.min(images.size(), start + net.batch()));
            JudgeNet.Logits logits = net.logits(JudgeImages.tensor(part, net.batch(), size));
            for (int i = 0; i < part.size(); i++) {
                float[] ps = softmax(logits.subject().getRow(i).toFloatVector());
                float[] pa = softmax(logits.action().getRow(i).toFloatVector());
                out.add(new Prediction(Subject.values()[argmax(ps)], Action.values()[argmax(pa)], ps, pa));
            }
        }
        return out;
    }

    JudgeNet net() { return net; }

    private static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < e.length; i++) sum += e[i] = Math.exp(logits[i] - max);
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) p[i] = (float) (e[i] / sum);
        return p;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
