package dev.adi4j.actionbench;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.adi4j.core.io.AtomicWrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One annotator's answers, {@code annotations/NAME.json} (format {@value #FORMAT}), in the order given; the last one
 * may be half done (action answered, subject not yet). An automatic judge writes the same format as
 * {@code annotations/judge-NAME.json}; the score then reports it beside the humans, never pooled with them.
 */
public record Annotations(@JsonProperty("format") String format, @JsonProperty("annotator") String annotator,
                          @JsonProperty("bench_sha256") String benchSha256,
                          @JsonProperty("answers") List<Answer> answers) {
    public static final String FORMAT = "adi4j-actionbench-annotations/1";
    public static final String DIR = "annotations";
    public static final String JUDGE_PREFIX = "judge-";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");

    /** Does the image show the intended action, the intended subject? null: not answered yet. */
    public record Answer(@JsonProperty("id") String id, @JsonProperty("action") Boolean action,
                         @JsonProperty("subject") Boolean subject) {
        public boolean complete() { return action != null && subject != null; }
    }

    public Annotations {
        answers = List.copyOf(answers);
    }

    public boolean judge() { return annotator.startsWith(JUDGE_PREFIX); }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("annotator name '" + name + "': use 1-40 letters, digits, _ . - (starting with a letter or digit)");
        }
    }

    static Path file(Path out, String name) {
        checkName(name);
        return out.resolve(DIR).resolve(name + ".json");
    }

    /** The annotator's file, or an empty one. */
    public static Annotations load(Path out, String name, String benchSha) {
        Path f = file(out, name);
        if (!Files.isRegularFile(f)) return new Annotations(FORMAT, name, benchSha, List.of());
        Annotations a = read(f);
        if (!benchSha.equals(a.benchSha256())) {
            throw new IllegalArgumentException(f + ": answers for another bench file (sha256 " + a.benchSha256() + ")");
        }
        return a;
    }

    public static Annotations read(Path f) {
        try {
            Annotations a = BenchFile.STRICT.readValue(f.toFile(), Annotations.class);
            if (!FORMAT.equals(a.format())) throw new IllegalArgumentException(f + ": format must be \"" + FORMAT + "\"");
            return a;
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": not a valid annotations file: " + e.getMessage().split("\n")[0], e);
        }
    }

    /** Every annotations file of an output folder (humans and judges), sorted by name. */
    public static List<Annotations> all(Path out) {
        Path dir = out.resolve(DIR);
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
                    .sorted().map(Annotations::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Written whole to a temp file and renamed: a crash leaves the previous answers intact. */
    public void save(Path out) {
        try {
            byte[] json = BenchFile.STRICT.writeValueAsBytes(this);
            AtomicWrite.write(file(out, annotator), true, tmp -> Files.write(tmp, json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save answers of " + annotator + ": " + e.getMessage(), e);
        }
    }

    /** The annotator's own order of the images: a shuffle seeded by the name (the same on every reload). */
    public static List<String> order(BenchIndex index, String annotator) {
        List<String> ids = new ArrayList<>(index.items().stream().map(BenchIndex.Entry::id).toList());
        byte[] h = BenchFile.sha256((annotator + "|" + index.benchSha256()).getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        long seed = Long.parseUnsignedLong(new String(h, 0, 15, StandardCharsets.US_ASCII), 16);
        Collections.shuffle(ids, new Random(seed));
        return ids;
    }

    /** The image to show next (the half-answered one, else the first unanswered), or null when all are done. */
    public String current(List<String> order) {
        if (!answers.isEmpty() && !answers.get(answers.size() - 1).complete()) return answers.get(answers.size() - 1).id();
        Set<String> done = answers.stream().map(Answer::id).collect(Collectors.toSet());
        for (String id : order) if (!done.contains(id)) return id;
        return null;
    }

    /** Which question the current image waits for. */
    public String question() {
        return !answers.isEmpty() && !answers.get(answers.size() - 1).complete() ? "subject" : "action";
    }

    /** Records one click on the current image. */
    public Annotations answer(String id, String question, boolean yes, List<String> order) {
        String cur = current(order);
        if (cur == null || !cur.equals(id)) throw new IllegalStateException("stale: image " + id + " is not the current one");
        if (!question.equals(question())) throw new IllegalStateException("stale: the current question is " + question());
        List<Answer> a = new ArrayList<>(answers);
        if (question.equals("action")) a.add(new Answer(id, yes, null));
        else a.set(a.size() - 1, new Answer(id, a.get(a.size() - 1).action(), yes));
        return new Annotations(format, annotator, benchSha256, a);
    }

    /** Takes back the last click. */
    public Annotations undo() {
        if (answers.isEmpty()) return this;
        List<Answer> a = new ArrayList<>(answers);
        Answer last = a.remove(a.size() - 1);
        if (last.complete()) a.add(new Answer(last.id(), last.action(), null));
        return new Annotations(format, annotator, benchSha256, a);
    }

    public int completed() {
        return (int) answers.stream().filter(Answer::complete).count();
    }
}
