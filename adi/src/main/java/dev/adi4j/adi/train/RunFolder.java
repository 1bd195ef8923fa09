package dev.adi4j.adi.train;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.io.AtomicWrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The files of a training run, in one place. */
public record RunFolder(Path dir) {
    public static final String IDENTIFIERS = "identifiers.safetensors";

    public Path identifiers() { return dir.resolve(IDENTIFIERS); }

    public Path log() { return dir.resolve("log.jsonl"); }

    public Path validation() { return dir.resolve("validation"); }

    public Path config() { return dir.resolve("train_config.json"); }

    /**
     * Refuses, before any work, an output folder that training would litter or mistake: a file, or a non-empty
     * folder without {@code train_config.json} (not an adi4j run folder) unless {@code force}. A missing or empty
     * folder starts a run; a run folder is resumed or continued, as before.
     */
    public void checkUsable(boolean force) {
        if (!Files.exists(dir)) return;
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output-dir " + dir + ": exists and is not a folder");
        }
        if (force || Files.isRegularFile(config())) return;
        boolean empty;
        try (Stream<Path> s = Files.list(dir)) {
            empty = s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the output folder " + dir + ": " + e.getMessage(), e);
        }
        if (!empty) {
            throw new IllegalArgumentException("--output-dir " + dir + ": a non-empty folder that is not an adi4j run"
                    + " folder (no " + config().getFileName() + "); pick a new folder or pass --force to write into it");
        }
    }

    void create() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The run's settings as JSON, written atomically (what was asked, for the record). */
    void writeConfig(TrainConfig config) {
        try {
            byte[] json = Configs.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(config).getBytes(StandardCharsets.UTF_8);
            AtomicWrite.write(config(), true, tmp -> Files.write(tmp, json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config() + ": " + e.getMessage(), e);
        }
    }
}
