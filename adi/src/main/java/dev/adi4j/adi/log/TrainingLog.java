package dev.adi4j.adi.log;

import dev.adi4j.core.io.RegularFiles;
import dev.adi4j.core.config.Configs;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adi4j.core.io.AtomicWrite;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSONL log of a training run, one line per step:
 * <pre>{"step":12,"lr":0.005,"loss":{"anchor":0.11,"context":0.12,"action":0.13},
 *  "kept":{"context":[0.9,...],"action":[0.91,...],"merged":[0.82,...]}}</pre>
 * Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity" (a diverged loss must still be
 * logged). Each line is flushed as it is appended, so a crash loses at most the line being written; such a torn
 * last line is dropped when the log is read or opened. Not thread-safe.
 */
public final class TrainingLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One training step.
     *
     * @param step 1-based step number
     * @param lr   learning rate used for the step
     * @param loss loss per sample of the step, e.g. anchor / context / action (insertion order kept)
     * @param kept per mask (e.g. context / action / merged), the fraction of channels kept in each layer
     */
    public record Step(int step, double lr, Map<String, Double> loss, Map<String, double[]> kept) {
        public Step {
            loss = Collections.unmodifiableMap(new LinkedHashMap<>(loss == null ? Map.of() : loss));
            Map<String, double[]> k = new LinkedHashMap<>();
            if (kept != null) kept.forEach((name, v) -> k.put(name, v.clone()));
            kept = Collections.unmodifiableMap(k);
        }

        /** The per-layer fractions of one mask (a copy), or null if the step has none for it. */
        public double[] kept(String mask) {
            double[] v = kept.get(mask);
            return v == null ? null : v.clone();
        }
    }

    private final Path file;
    private BufferedWriter out;
    private int lastStep;

    private TrainingLog(Path file, int lastStep) {
        this.file = file;
        this.lastStep = lastStep;
    }

    /** Opens a log for appending, creating it (and its folder) if needed; a torn last line is removed first. */
    public static TrainingLog open(Path file) {
        Parsed p = parse(file, true);
        // A last line without its newline would have the next appended line glued to it.
        if (p.torn || !endsWithNewline(file)) rewrite(file, p.lines);
        TrainingLog log = new TrainingLog(file, p.steps.isEmpty() ? 0 : p.steps.get(p.steps.size() - 1).step());
        log.openWriter();
        return log;
    }

    /** The records of a log, in file order; an absent file is an error. */
    public static List<Step> read(Path file) {
        if (!Files.exists(file)) throw new TrainingLogException(file, "training log not found");
        return List.copyOf(parse(file, false).steps);
    }

    public Path file() {
        return file;
    }

    /** The last step in the log, 0 when it is empty. */
    public int lastStep() {
        return lastStep;
    }

    /** Appends one step and flushes it; steps must increase, so a resumed run cannot log a step twice. */
    public void append(Step s) {
        if (s.step() <= lastStep) {
            throw new IllegalArgumentException(file + ": step " + s.step() + " appended after step " + lastStep
                    + " (steps must increase; truncateAfter(" + (s.step() - 1) + ") first when resuming)");
        }
        try {
            out.write(toJson(s));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new TrainingLogException(file, "cannot append step " + s.step() + ": " + e, e);
        }
        lastStep = s.step();
    }

    /**
     * Drops every line whose step is greater than {@code step} (for resuming from the checkpoint of that step).
     * The file is replaced atomically: a crash leaves the old log or the new one, never a mix.
     */
    public void truncateAfter(int step) {
        closeWriter();
        Parsed p = parse(file, true);
        List<String> keep = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < p.steps.size(); i++) {
            if (p.steps.get(i).step() <= step) {
                keep.add(p.lines.get(i));
                last = Math.max(last, p.steps.get(i).step());
            }
        }
        rewrite(file, keep);
        lastStep = last;
        openWriter();
    }

    @Override
    public void close() {
        closeWriter();
    }

    private void openWriter() {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new TrainingLogException(file, "cannot open for appending: " + e, e);
        }
    }

    private void closeWriter() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            throw new TrainingLogException(file, "cannot close: " + e, e);
        } finally {
            out = null;
        }
    }

    private static boolean endsWithNewline(Path file) {
        try (var ch = Files.newByteChannel(file)) {
            long size = ch.size();
            if (size == 0) return true;
            var b = java.nio.ByteBuffer.allocate(1);
            ch.position(size - 1).read(b);
            return b.get(0) == '\n';
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new TrainingLogException(file, "cannot read: " + e, e);
        }
    }

    private static void rewrite(Path file, List<String> lines) {
        try {
            AtomicWrite.write(file, true, tmp -> Files.write(tmp, lines, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TrainingLogException(file, "cannot rewrite: " + e, e);
        }
    }

    static String toJson(Step s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", s.step());
        o.put("lr", s.lr());
        ObjectNode loss = o.putObject("loss");
        s.loss().forEach(loss::put);
        ObjectNode kept = o.putObject("kept");
        s.kept().forEach((mask, v) -> {
            ArrayNode a = kept.putArray(mask);
            for (double x : v) a.add(x);
        });
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise step " + s.step(), e);
        }
    }

    /** Parsed lines with their source text (blank lines skipped), and whether a torn last line was dropped. */
    private record Parsed(List<Step> steps, List<String> lines, boolean torn) {
    }

    private static Parsed parse(Path file, boolean absentIsEmpty) {
        String text;
        try {
            if (Files.exists(file)) RegularFiles.require(file, "training log", TrainingLogException::new);
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (absentIsEmpty) return new Parsed(List.of(), List.of(), false);
            throw new TrainingLogException(file, "training log not found");
        } catch (IOException e) {
            throw new TrainingLogException(file, "cannot read: " + e, e);
        }
        String[] raw = text.split("\n", -1);
        List<Step> steps = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        boolean torn = false;
        for (int i = 0; i < raw.length; i++) {
            String line = raw[i];
            if (line.isBlank()) continue;
            // Only the final line can lack its newline; if it also does not parse, it is a write cut short.
            boolean last = i == raw.length - 1;
            try {
                steps.add(fromJson(line));
                lines.add(line);
            } catch (IllegalArgumentException e) {
                if (last) {
                    torn = true;
                    break;
                }
                throw new TrainingLogException(file, "line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new Parsed(steps, lines, torn);
    }

    static Step fromJson(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON (" + Configs.oneLine(e) + ")", e);
        }
        if (o == null || !o.isObject()) throw new IllegalArgumentException("expected a JSON object per line");
        JsonNode step = o.get("step");
        if (step == null || !step.canConvertToInt() || !step.isIntegralNumber()) {
            throw new IllegalArgumentException("\"step\" is missing or not an integer");
        }
        double lr = number(o.get("lr"), "lr");
        Map<String, Double> loss = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(o, "loss").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            loss.put(e.getKey(), number(e.getValue(), "loss." + e.getKey()));
        }
        Map<String, double[]> kept = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(o, "kept").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) throw new IllegalArgumentException("\"kept." + e.getKey() + "\" is not an array");
            double[] v = new double[e.getValue().size()];
            for (int k = 0; k < v.length; k++) v[k] = number(e.getValue().get(k), "kept." + e.getKey() + "[" + k + "]");
            kept.put(e.getKey(), v);
        }
        return new Step(step.intValue(), lr, loss, kept);
    }

    private static JsonNode object(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return JSON.createObjectNode();
        if (!n.isObject()) throw new IllegalArgumentException("\"" + field + "\" is not an object");
        return n;
    }

    private static double number(JsonNode n, String field) {
        if (n != null && n.isNumber()) return n.doubleValue();
        if (n != null && n.isTextual()) {
            switch (n.asText()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw new IllegalArgumentException("\"" + field + "\" is missing or not a number");
    }
}
