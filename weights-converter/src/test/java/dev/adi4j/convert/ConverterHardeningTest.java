package dev.adi4j.convert;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A conversion checks before the rename, checks scheduler configs, and cleans up after killed runs. */
class ConverterHardeningTest {
    @TempDir
    Path dir;

    private Path copyTiny() throws Exception {
        Path tiny = Fixtures.tinySd();
        Path copy = dir.resolve("src");
        try (Stream<Path> all = Files.walk(tiny)) {
            for (Path p : all.toList()) {
                Path t = copy.resolve(tiny.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return copy;
    }

    private static Converter.Summary convert(Path from, Path to) {
        return new Converter().convert(new Converter.Options(from, to, null, null, null, false), Converter.Progress.NONE);
    }

    private String[] hidden() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toArray(String[]::new);
        }
    }

    @Test
    void nanWeightsNeverReachTheTarget() throws Exception {
        Path src = copyTiny();
        Path weights = src.resolve("vae/diffusion_pytorch_model.safetensors");
        long at;
        try (SafetensorsReader r = SafetensorsReader.open(weights)) {
            TensorInfo t = r.infos().values().iterator().next();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel ch = FileChannel.open(weights)) {
                ch.read(len, 0);
            }
            at = 8 + len.getLong(0) + t.begin();
            assertEquals("F32", t.dtype().name());
        }
        try (FileChannel ch = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, Float.NaN), at);
        }
        Path out = dir.resolve("out");
        ConversionException e = assertThrows(ConversionException.class, () -> convert(src, out));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains(out.toString()), e.getMessage());
        assertFalse(e.getMessage().contains(".converting-"), e.getMessage());
        assertFalse(Files.exists(out));
        assertEquals(0, hidden().length, "temporary folder removed");
    }

    @Test
    void badSchedulerConfigsAreRefusedNamingTheFile() throws Exception {
        Path src = copyTiny();
        Path sched = src.resolve("scheduler/scheduler_config.json");
        String good = Files.readString(sched);
        Files.writeString(sched, good.replaceFirst("\"num_train_timesteps\"\\s*:\\s*\\d+", "\"num_train_timesteps\": -5"));
        ConversionException e = assertThrows(ConversionException.class, () -> convert(src, dir.resolve("a")));
        assertTrue(e.getMessage().contains(sched.toString()) && e.getMessage().contains("num_train_timesteps"), e.getMessage());

        Files.writeString(sched, good.replaceFirst("\"beta_schedule\"\\s*:\\s*\"[a-z_]+\"", "\"beta_schedule\": \"wavy\""));
        e = assertThrows(ConversionException.class, () -> convert(src, dir.resolve("a")));
        assertTrue(e.getMessage().contains(sched.toString()) && e.getMessage().contains("'wavy'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("a")));

        // --verify checks the scheduler of a converted folder too
        Files.writeString(sched, good);
        Path out = dir.resolve("ok");
        assertTrue(convert(src, out).report().ok());
        Path outSched = out.resolve("scheduler/scheduler_config.json");
        Files.writeString(outSched, Files.readString(outSched).replaceFirst("\"beta_schedule\"\\s*:\\s*\"[a-z_]+\"",
                "\"beta_schedule\": \"wavy\""));
        Verifier.Report report = Verifier.verify(out);
        assertFalse(report.ok());
        assertTrue(report.problems().stream().anyMatch(p -> p.contains(outSched.toString()) && p.contains("wavy")),
                report.problems().toString());
    }

    @Test
    void staleTemporaryFoldersOfDeadProcessesAreRemoved() throws Exception {
        Path out = dir.resolve("out");
        long dead = ProcessHandle.current().pid() + 1_000_000_000L; // beyond any pid the kernel hands out
        Path stale = Files.createDirectories(dir.resolve(".out.converting-" + dead + "-123"));
        Files.writeString(stale.resolve("partial"), "x");
        Path live = Files.createDirectories(dir.resolve(".out.converting-" + ProcessHandle.current().pid() + "-456"));
        convert(Fixtures.tinySd(), out);
        assertFalse(Files.exists(stale), "a dead process's folder is removed");
        assertTrue(Files.exists(live), "a running process's folder is kept");
    }
}
