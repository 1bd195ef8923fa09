package dev.adi4j.adi.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which output folders {@code adi train} starts or continues a run in, and which it refuses without --force. */
class RunFolderTest {
    @TempDir
    Path dir;

    @Test
    void missingOrEmptyFolderStartsARun() throws Exception {
        assertDoesNotThrow(() -> new RunFolder(dir.resolve("new")).checkUsable(false));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertDoesNotThrow(() -> new RunFolder(empty).checkUsable(false));
    }

    @Test
    void existingRunFolderIsContinued() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("train_config.json"), "{}");
        Files.writeString(run.resolve("log.jsonl"), "");
        Files.createDirectories(run.resolve("checkpoints/checkpoint-100"));
        assertDoesNotThrow(() -> new RunFolder(run).checkUsable(false));
    }

    @Test
    void foreignNonEmptyFolderNeedsForce() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(photos.resolve("a.png"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RunFolder(photos).checkUsable(false));
        assertTrue(e.getMessage().startsWith("--output-dir " + photos + ": a non-empty folder that is not an adi4j run"
                + " folder (no train_config.json)") && e.getMessage().contains("--force"), e.getMessage());
        assertDoesNotThrow(() -> new RunFolder(photos).checkUsable(true));
    }

    @Test
    void aFileIsRefusedEvenWithForce() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThrows(IllegalArgumentException.class, () -> new RunFolder(f).checkUsable(true));
    }
}
