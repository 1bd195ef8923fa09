package dev.adi4j.actionbench;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.adi4j.core.io.AtomicWrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code index.json} of an output folder (format {@value #FORMAT}): the bench file's hash, subjects and actions (what
 * the annotation page shows), and one entry per finished image with its file's SHA-256. The same bench gives the
 * same index whether it ran in one go or in merged shards.
 */
public record BenchIndex(@JsonProperty("format") String format,
                         @JsonProperty("bench_sha256") String benchSha256,
                         @JsonProperty("subjects") List<String> subjects,
                         @JsonProperty("actions") List<ActionEntry> actions,
                         @JsonProperty("methods") List<String> methods,
                         @JsonProperty("items") List<Entry> items) {
    public static final String FORMAT = "adi4j-actionbench-index/1";
    public static final String FILE = "index.json";

    /** An action as the annotators see it: name, description, exemplar thumbnails (relative paths). */
    public record ActionEntry(@JsonProperty("name") String name, @JsonProperty("description") String description,
                              @JsonProperty("exemplars") List<String> exemplars) {
    }

    /** A finished image. */
    public record Entry(@JsonProperty("id") String id, @JsonProperty("method") String method,
                        @JsonProperty("action") String action, @JsonProperty("subject") int subject,
                        @JsonProperty("seed") long seed, @JsonProperty("prompt") String prompt,
                        @JsonProperty("file") String file, @JsonProperty("sha256") String sha256) {
    }

    public Map<String, Entry> byId() {
        Map<String, Entry> m = new java.util.LinkedHashMap<>();
        items.forEach(e -> m.put(e.id(), e));
        return m;
    }

    public ActionEntry action(String name) {
        return actions.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    public static BenchIndex read(Path outDir) {
        Path f = outDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(outDir + ": no " + FILE + " (not an ActionBench output folder; run `adi actionbench run` first)");
        }
        try {
            BenchIndex i = BenchFile.STRICT.readValue(f.toFile(), BenchIndex.class);
            if (!FORMAT.equals(i.format())) {
                throw new IllegalArgumentException(f + ": format must be \"" + FORMAT + "\", got \"" + i.format() + "\"");
            }
            return i;
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": not a valid index: " + e.getMessage().split("\n")[0], e);
        }
    }

    public void write(Path outDir) {
        try {
            byte[] json = BenchFile.STRICT.writeValueAsBytes(this);
            AtomicWrite.write(outDir.resolve(FILE), true, tmp -> Files.write(tmp, json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
