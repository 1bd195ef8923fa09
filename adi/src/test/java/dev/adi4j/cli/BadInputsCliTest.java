package dev.adi4j.cli;

import dev.adi4j.testsupport.Captured;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.adi4j.diffusion.identifier.Identifiers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad command lines, one row each: the arguments ({@code $T} = the tiny model, {@code $D} = a fresh temp folder),
 * the exit code, words the one-line error must hold, and that nothing was created or changed under {@code $D}.
 */
class BadInputsCliTest {
    static final String TINY = GoldenCommandTest.FIXTURES.resolve("tiny-sd").toString();

    @TempDir
    Path dir;

    record Row(String args, int code, List<String> words) {
        @Override
        public String toString() { return args; }
    }

    static Row row(String args, int code, String... words) {
        return new Row(args, code, List.of(words));
    }

    static Stream<Arguments> rows() {
        String gen = "generate --model $T --prompt cat --out $D/out ";
        List<Row> rows = new ArrayList<>(List.of(
                // flags checked before the model is loaded
                row(gen + "--guidance NaN", 1, "--guidance", "NaN", "finite"),
                row(gen + "--guidance Infinity", 1, "--guidance", "finite"),
                row(gen + "--size 8x8", 1, "--size 8x8", "too small", "at least 32"),
                row(gen + "--size 100x96", 1, "--size '100x96'", "width 100", "multiple of 8"),
                row(gen + "--size abcx64", 1, "--size 'abcx64'", "'abc' is not a whole number"),
                row(gen + "--size 64", 1, "--size '64'", "expected WxH"),
                row(gen + "--size 2000000x2000000", 1, "--size 2000000x2000000", "GiB", "available"),
                row(gen + "--steps 0", 1, "--steps 0", "at least 1"),
                row(gen + "--num-images -2", 1, "--num-images -2", "at least 1"),
                row(gen + "--sampler foo", 1, "--sampler 'foo'", "expected one of", "ddim"),
                row(gen + "--identifiers $D/none.safetensors", 1, "--identifiers", "no such file"),
                row("generate --model $D/nomodel --prompt cat --out $D/out", 1, "--model", "no such model folder"),
                // garbage in: identifiers that are not finite, do not fit, or lack the prompt's placeholder
                row(gen + "--identifiers $D/nan.safetensors", 1, "nan.safetensors", "'<act>'", "NaN/Inf"),
                row(gen + "--identifiers $D/wide.safetensors", 1, "wide.safetensors", "is [1, 7]", "[1, 32]"),
                row("generate --model $T --prompt <other> --out $D/out --identifiers $D/good.safetensors", 1,
                        "good.safetensors", "no identifier '<other>'", "<act>"),
                // overwrites need --force
                row("bench --suite blocks --out $D/existing.txt", 1, "--out", "existing.txt", "--force"),
                row("generate --model $T --prompt cat --out $D/gen", 1, "refusing to overwrite", "image-0.png", "--force"),
                row("convert --from $T --to $D/existing.txt", 1, "existing.txt", "already exists", "--force"),
                row("train --model $T --train-data-dir $D/none --output-dir $D", 1, "--output-dir",
                        "not an adi4j run folder", "train_config.json", "--force"),
                row("train --model $T --train-data-dir $D/none --output-dir $D/existing.txt", 1, "--output-dir",
                        "existing.txt", "not a folder"),
                // error text
                row("nosuch --help", 2, "unknown command 'nosuch'", "generate"),
                row("inspect $D/none.safetensors", 1, "none.safetensors", "no such file"),
                // a FIFO (or, without mkfifo, a folder) is refused at once instead of blocking
                row("golden $D/pipe.json", 1, "pipe.json", "not a regular file"),
                row("inspect $D/pipe.json", 1, "pipe.json", "not a regular file"),
                row("mini sheet --out /tmp/adi4j-never-written.png --size 48", 1, "--size", "32 or 64"),
                row("mini train-base --out /tmp/adi4j-never-run --steps 0", 1, "--steps 0", "at least 1"),
                row("mini train-judge --out /tmp/adi4j-never-run --steps -3", 1, "--steps -3", "at least 1"),
                row("bench-net --latent 0", 1, "--latent 0", "at least 1"),
                row("bench-net --latent 32,-4", 1, "--latent -4", "at least 1"),
                row("bench-net --batch 0", 1, "--batch 0", "at least 1"),
                row("bench-net --runs 0", 1, "--runs 0", "at least 1"),
                row("bench-net --warmup -1", 1, "--warmup -1", "at least 0"),
                row("bench-net --mode fwd,backward", 1, "--mode 'backward'", "fwd, grad, sampler"),
                row("bench-net --memory-check 0", 1, "--memory-check 0", "at least 1"),
                row("bench-net --config nosuch.json", 1, "--config 'nosuch.json'", "tiny"),
                row("bench-net --net vae", 1, "--net 'vae'", "unet, text"),
                row("bench-net --net unet,txt", 1, "--net 'txt'", "unet, text"),
                row("bench-net --mode generat", 1, "--mode 'generat'", "generate"),
                row("bench-net --mode generate --model $T --size 100x96", 1, "--size '100x96'", "multiple of 8"),
                row("bench-net --mode generate --model $T --size 8x8", 1, "--size 8x8", "too small", "at least 32"),
                row("bench-net --mode generate --model $D/nomodel", 1, "--model", "no such model folder"),
                row("bench-net --mode generate --model $T --steps 0", 1, "--steps 0", "at least 1"),
                row("bench-net --mode generate --model $T --guidance NaN", 1, "--guidance", "finite"),
                row("bench-net --memory-check 96 --torch", 1, "--torch", "--memory-check"),
                row("bench-net --out $D/existing.txt", 1, "--out", "existing.txt", "--force"),
                row("bench-net --net text --model $T --torch --torch-scripts $D", 1, "--torch-scripts", "text_bench.py")
        ));
        return rows.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a row that blocks must not hang the suite
    void refusedWithOneLineAndNothingWritten(Row row) throws IOException {
        Path d = Files.createDirectories(dir.resolve("d"));
        setUp(d);
        List<String> before = listing(d);
        String[] args = row.args().replace("$T", TINY).replace("$D", d.toString()).split(" ");
        Captured r = GoldenCommandTest.run(args);
        assertEquals(row.code(), r.code(), r.all());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line expected: " + err);
        for (String w : row.words()) assertTrue(err.contains(w), "expected '" + w + "' in: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        assertEquals(before, listing(d), "nothing may be created or changed");
    }

    /** Files a row may refer to; their content and times are part of the listing. */
    private static void setUp(Path d) throws IOException {
        Files.writeString(d.resolve("existing.txt"), "keep me");
        Files.writeString(Files.createDirectories(d.resolve("gen")).resolve("image-0.png"), "keep me");
        Path pipe = d.resolve("pipe.json");
        boolean fifo;
        try {
            fifo = new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            fifo = false;
        }
        if (!fifo) Files.createDirectories(pipe);
        identifiers(d.resolve("nan.safetensors"), Nd4j.create(new float[][]{{1, Float.NaN}}).repeat(1, 16));
        identifiers(d.resolve("wide.safetensors"), Nd4j.ones(DataType.FLOAT, 1, 7));
        identifiers(d.resolve("good.safetensors"), Nd4j.ones(DataType.FLOAT, 1, 32));
    }

    private static void identifiers(Path file, INDArray vector) throws IOException {
        new Identifiers(Map.of("<act>", vector)).save(file, Map.of());
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.sorted().map(p -> {
                try {
                    return d.relativize(p) + (Files.isRegularFile(p)
                            ? " " + Files.size(p) + " " + Files.getLastModifiedTime(p) : "/");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
