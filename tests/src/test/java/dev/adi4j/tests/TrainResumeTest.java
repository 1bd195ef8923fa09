package dev.adi4j.tests;

import dev.adi4j.adi.log.TrainingLog;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing is lost: a training process killed with SIGKILL in the middle of its work and resumed with
 * {@code --resume-from-checkpoint latest} ends with the same identifiers, bit for bit, as a run that was never
 * interrupted — for identifiers (ADI) and for the Custom Diffusion baseline. All runs go through bin/adi so they use
 * the same natives.
 */
class TrainResumeTest {
    static final Path LAUNCHER = Path.of("..", "bin", "adi").toAbsolutePath().normalize();
    static final int STEPS = 8;

    @TempDir
    Path dir;

    private List<String> args(String method, Path data, Path actionDifferent, Path out) {
        return new ArrayList<>(List.of(LAUNCHER.toString(), "train", "--model", Shared.tinySd().toString(),
                "--train-data-dir", data.toString(), "--output-dir", out.toString(), "--method", method,
                "--placeholder-token", "<arms-up>", "--resolution", "64", "--max-train-steps", Integer.toString(STEPS),
                "--checkpointing-steps", "1", "--checkpoints-total-limit", "2", "--seed", "11",
                "--action-different-dir", actionDifferent.toString()));
    }

    private static Process start(List<String> cmd, Path logFile) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    private static void finish(Process p, Path logFile) throws Exception {
        assertTrue(p.waitFor(900, TimeUnit.SECONDS), "training did not finish");
        assertEquals(0, p.exitValue(), Files.readString(logFile, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource({"adi, identifiers.safetensors", "custom-diffusion, custom_diffusion.safetensors"})
    void aKilledRunResumesToBitIdenticalResults(String method, String result) throws Exception {
        Path data = ActionFolders.exemplars(dir.resolve("data"), 3);
        Path other = ActionFolders.actionDifferent(dir.resolve("other"), 3);
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");

        finish(start(args(method, data, other, whole), dir.resolve("whole.log")), dir.resolve("whole.log"));

        Process p = start(args(method, data, other, killed), dir.resolve("killed.log"));
        Path firstCheckpoint = killed.resolve("checkpoints/checkpoint-2");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(900);
        while (!Files.isDirectory(firstCheckpoint) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(Files.isDirectory(firstCheckpoint), "no checkpoint appeared: "
                + Files.readString(dir.resolve("killed.log")));
        Thread.sleep(300); // into the next step, past the checkpoint
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertFalse(Files.exists(killed.resolve(result)), "the run finished before it was killed");

        List<String> resume = args(method, data, other, killed);
        resume.addAll(List.of("--resume-from-checkpoint", "latest"));
        finish(start(resume, dir.resolve("resumed.log")), dir.resolve("resumed.log"));
        assertTrue(Files.readString(dir.resolve("resumed.log")).contains("resumed from"));

        try (SafetensorsReader a = SafetensorsReader.open(whole.resolve(result));
             SafetensorsReader b = SafetensorsReader.open(killed.resolve(result))) {
            assertEquals(a.names(), b.names());
            for (String name : a.names()) {
                assertArrayEquals(a.loadFloat(name).data().asFloat(), b.loadFloat(name).data().asFloat(), 0f,
                        name + " differs after resuming");
            }
        }
        List<TrainingLog.Step> wholeLog = TrainingLog.read(whole.resolve("log.jsonl"));
        List<TrainingLog.Step> resumedLog = TrainingLog.read(killed.resolve("log.jsonl"));
        assertEquals(wholeLog.stream().map(s -> s.step() + ":" + s.loss()).toList(),
                resumedLog.stream().map(s -> s.step() + ":" + s.loss()).toList());
        assertEquals(List.of("checkpoint-7", "checkpoint-8"), checkpointNames(killed));
    }

    private static List<String> checkpointNames(Path run) throws IOException {
        try (var s = Files.list(run.resolve("checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
