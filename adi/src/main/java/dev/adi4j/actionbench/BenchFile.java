package dev.adi4j.actionbench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.adi4j.adi.train.TrainMethod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An ActionBench definition (format {@value #FORMAT}): actions with their exemplar folders, subjects, prompt
 * template, seeds, generation settings and the methods compared. Unknown fields are refused (a typo would otherwise
 * silently fall back to a default); relative folders resolve against the bench file's folder.
 */
public final class BenchFile {
    public static final String FORMAT = "adi4j-actionbench/1";
    /** The method name of the text-only baseline: the action's plain description, no training. */
    public static final String TEXT = "text";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    /** Reads JSON strictly: unknown fields, trailing tokens and nulls for numbers are errors. */
    static final ObjectMapper STRICT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** The whole definition as written. */
    public record Bench(
            @JsonProperty("format") String format,
            @JsonProperty("prompt_template") String promptTemplate,
            @JsonProperty("seeds") List<Long> seeds,
            @JsonProperty("images_per_pair") Integer imagesPerPair,
            @JsonProperty("generation") Generation generation,
            @JsonProperty("actions") List<Action> actions,
            @JsonProperty("subjects") List<String> subjects,
            @JsonProperty("methods") List<Method> methods) {
    }

    /**
     * One action: its name (also its placeholder token {@code <name>}), the user's exemplar folder (what
     * {@code adi train} reads), the plain description the text-only baseline uses, and optionally a folder of
     * action-different samples for ADI (else the trainer makes them).
     */
    public record Action(@JsonProperty("name") String name, @JsonProperty("exemplars") String exemplars,
                         @JsonProperty("description") String description,
                         @JsonProperty("action_different") String actionDifferent) {
    }

    /** Sampler settings of every generated image. */
    public record Generation(@JsonProperty("steps") Integer steps, @JsonProperty("guidance") Double guidance,
                             @JsonProperty("sampler") String sampler, @JsonProperty("width") Integer width,
                             @JsonProperty("height") Integer height,
                             @JsonProperty("negative_prompt") String negativePrompt) {
        public static Generation defaults() {
            return new Generation(25, 7.5, null, 512, 512, "");
        }
    }

    /** A compared method: "text" or an {@code adi train --method} name, with its training settings. */
    public record Method(@JsonProperty("name") String name, @JsonProperty("train") TrainSettings train) {
    }

    /** {@code adi train} flags a bench may set (snake_case of the flag); absent ones keep train's defaults. */
    public record TrainSettings(
            @JsonProperty("max_train_steps") Integer maxTrainSteps,
            @JsonProperty("learning_rate") Double learningRate,
            @JsonProperty("resolution") Integer resolution,
            @JsonProperty("beta") Double beta,
            @JsonProperty("seed") Long seed,
            @JsonProperty("initializer_token") String initializerToken,
            @JsonProperty("templates") List<String> templates,
            @JsonProperty("gradient_accumulation_steps") Integer gradientAccumulationSteps,
            @JsonProperty("lr_scheduler") String lrScheduler,
            @JsonProperty("lr_warmup_steps") Integer lrWarmupSteps,
            @JsonProperty("checkpointing_steps") Integer checkpointingSteps,
            @JsonProperty("action_different_steps") Integer actionDifferentSteps) {
        public static TrainSettings none() {
            return new TrainSettings(null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /** A checked action: absolute folders. */
    public record ActionSpec(String name, Path exemplars, String description, Path actionDifferent) {
        public String token() { return "<" + name + ">"; }
    }

    /** A checked bench, its file's SHA-256 and where it came from. */
    public record Loaded(Path file, String sha256, byte[] bytes, String promptTemplate, List<Long> seeds,
                         Generation generation, List<ActionSpec> actions, List<String> subjects, List<Method> methods) {
        public ActionSpec action(String name) {
            return actions.stream().filter(a -> a.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no action '" + name + "' in " + file));
        }

        public Method method(String name) {
            return methods.stream().filter(m -> m.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no method '" + name + "' in " + file));
        }

        /** The prompt of one image: the template with the subject and the action's token (or description). */
        public String prompt(String method, ActionSpec action, String subject) {
            return promptTemplate.replace("{subject}", subject)
                    .replace("{action}", TEXT.equals(method) ? action.description() : action.token());
        }
    }

    private BenchFile() {
    }

    /** Reads and checks a bench file; every problem is one line naming the file and the field. */
    public static Loaded load(Path file) {
        return load(file, true);
    }

    /**
     * {@link #load(Path)}; {@code checkFolders} false skips the exemplar folders (a merge reads the bench copy of a
     * shard folder, far from the user's exemplars).
     */
    public static Loaded load(Path file, boolean checkFolders) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such bench file");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        Bench b;
        try {
            b = STRICT.readValue(bytes, Bench.class);
        } catch (UnrecognizedPropertyException e) {
            String at = path(e);
            throw new IllegalArgumentException(file + ": unknown field '" + e.getPropertyName() + "'"
                    + (at.contains(".") ? " in " + at.substring(0, at.lastIndexOf('.')) : "") + " (known: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(file + ": field '" + path(e) + "': " + e.getOriginalMessage().split("\n")[0]);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (b == null) throw new IllegalArgumentException(file + ": holds JSON null, expected a bench object");
        return check(file, bytes, b, checkFolders);
    }

    private static Loaded check(Path file, byte[] bytes, Bench b, boolean checkFolders) {
        Checker c = new Checker(file);
        c.require(FORMAT.equals(b.format()), "format", "must be \"" + FORMAT + "\", got "
                + (b.format() == null ? "none" : "\"" + b.format() + "\""));
        String template = b.promptTemplate() == null ? "a photo of {subject} {action}" : b.promptTemplate();
        c.require(template.contains("{subject}") && template.contains("{action}"), "prompt_template",
                "must contain {subject} and {action}, got \"" + template + "\"");
        List<Long> seeds = b.seeds();
        if (seeds == null) {
            int n = b.imagesPerPair() == null ? 2 : b.imagesPerPair();
            c.require(n >= 1, "images_per_pair", "must be >= 1, got " + n);
            seeds = new ArrayList<>();
            for (long s = 0; s < n; s++) seeds.add(s);
        } else {
            c.require(!seeds.isEmpty() && seeds.stream().allMatch(s -> s != null), "seeds", "must list at least one seed");
            c.require(new HashSet<>(seeds).size() == seeds.size(), "seeds", "must not repeat a seed");
            c.require(b.imagesPerPair() == null || b.imagesPerPair() == seeds.size(), "images_per_pair",
                    "is " + b.imagesPerPair() + " but seeds lists " + seeds.size());
        }
        Generation d = Generation.defaults();
        Generation g = b.generation() == null ? d : b.generation();
        g = new Generation(or(g.steps(), d.steps()), or(g.guidance(), d.guidance()), g.sampler(),
                or(g.width(), d.width()), or(g.height(), d.height()), or(g.negativePrompt(), ""));
        c.require(g.steps() >= 1, "generation.steps", "must be >= 1, got " + g.steps());
        c.require(g.width() % 8 == 0 && g.width() > 0 && g.height() % 8 == 0 && g.height() > 0,
                "generation.width/height", "must be positive multiples of 8, got " + g.width() + "x" + g.height());

        c.require(b.actions() != null && !b.actions().isEmpty(), "actions", "must list at least one action");
        List<ActionSpec> actions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Path base = file.toAbsolutePath().getParent();
        for (int i = 0; i < b.actions().size(); i++) {
            Action a = b.actions().get(i);
            String at = "actions[" + i + "]";
            c.require(a != null && a.name() != null && NAME.matcher(a.name()).matches(), at + ".name",
                    "must be 1-40 of a-z 0-9 _ - (it becomes the token <name>), got " + (a == null ? null : a.name()));
            c.require(names.add(a.name()), at + ".name", "'" + a.name() + "' appears twice");
            c.require(a.exemplars() != null, at + ".exemplars", "is required (the action's exemplar folder)");
            c.require(a.description() != null && !a.description().isBlank(), at + ".description",
                    "is required (the plain words the text-only baseline uses, e.g. \"doing a handstand\")");
            Path ex = base.resolve(a.exemplars()).normalize();
            c.require(!checkFolders || Files.isDirectory(ex), at + ".exemplars", "folder " + ex + " does not exist");
            Path ad = null;
            if (a.actionDifferent() != null) {
                ad = base.resolve(a.actionDifferent()).normalize();
                c.require(!checkFolders || Files.isDirectory(ad), at + ".action_different", "folder " + ad + " does not exist");
            }
            actions.add(new ActionSpec(a.name(), ex, a.description().strip(), ad));
        }
        c.require(b.subjects() != null && !b.subjects().isEmpty(), "subjects", "must list at least one subject");
        for (int i = 0; i < b.subjects().size(); i++) {
            String s = b.subjects().get(i);
            c.require(s != null && !s.isBlank(), "subjects[" + i + "]", "must not be blank");
        }
        c.require(new HashSet<>(b.subjects()).size() == b.subjects().size(), "subjects", "must not repeat a subject");
        c.require(b.methods() != null && !b.methods().isEmpty(), "methods", "must list at least one method");
        List<Method> methods = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < b.methods().size(); i++) {
            Method m = b.methods().get(i);
            String at = "methods[" + i + "]";
            c.require(m != null && m.name() != null, at + ".name", "is required: text or one of " + TrainMethod.validNames());
            if (!TEXT.equals(m.name())) {
                try {
                    TrainMethod.parse(m.name());
                } catch (IllegalArgumentException e) {
                    c.fail(at + ".name", "unknown method '" + m.name() + "', expected text or one of " + TrainMethod.validNames());
                }
            } else {
                c.require(m.train() == null, at + ".train", "the text-only baseline trains nothing; remove 'train'");
            }
            c.require(seen.add(m.name()), at + ".name", "'" + m.name() + "' appears twice");
            methods.add(new Method(m.name(), m.train() == null ? TrainSettings.none() : m.train()));
        }
        return new Loaded(file.toAbsolutePath(), sha256(bytes), bytes, template, List.copyOf(seeds), g,
                List.copyOf(actions), List.copyOf(b.subjects()), List.copyOf(methods));
    }

    private static <T> T or(T v, T d) {
        return v == null ? d : v;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            else sb.append('[').append(r.getIndex()).append(']');
        }
        return sb.toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Checker(Path file) {
        void require(boolean ok, String field, String problem) {
            if (!ok) fail(field, problem);
        }

        void fail(String field, String problem) {
            throw new IllegalArgumentException(file + ": field '" + field + "' " + problem);
        }
    }
}
