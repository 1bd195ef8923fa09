package dev.adi4j.tests;

import dev.adi4j.adi.log.TrainingLog;
import dev.adi4j.cli.Main;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.testsupport.Captured;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code adi train} end to end on the tiny SD 2.1 model: every identifier method trains through the command line,
 * writes a complete run folder, and its identifiers load into {@code adi generate --identifiers}.
 */
class TrainEndToEndTest {
    static final Path TINY = Shared.tinySd();
    @TempDir
    static Path dir;
    static Path data;
    static Path actionDifferent;

    @BeforeAll
    static void folders() throws Exception {
        data = ActionFolders.exemplars(dir.resolve("data"), 3);
        actionDifferent = ActionFolders.actionDifferent(dir.resolve("action-different"), 3);
    }

    static Captured adi(List<String> args) {
        return Captured.run(() -> Main.run(args.toArray(String[]::new)));
    }

    static List<String> train(String method, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--model", TINY.toString(), "--train-data-dir", data.toString(),
                "--output-dir", out.toString(), "--method", method, "--placeholder-token", "<arms-up>",
                "--resolution", "64", "--max-train-steps", "2", "--checkpointing-steps", "1",
                "--action-different-dir", actionDifferent.toString(), "--seed", "3"));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ti", "pplus", "adi", "adi-union", "adi-context-only", "adi-action-only"})
    void everyMethodTrainsAndItsIdentifiersGenerate(String method) throws Exception {
        Path out = dir.resolve("run-" + method);
        Captured r = adi(train(method, out));
        assertEquals(0, r.code(), r.all());
        Path ids = out.resolve("identifiers.safetensors");
        assertEquals(ids.toString(), r.out().strip());
        try (SafetensorsReader f = SafetensorsReader.open(ids)) {
            assertArrayEquals(new long[]{method.equals("ti") ? 1 : 16, 32}, f.info("<arms-up>").shape());
            assertEquals(method, f.metadata().get("adi4j.method"));
            assertEquals("1", f.metadata().get("adi4j.identifiers"));
            assertTrue(Arrays.stream(f.loadFloat("<arms-up>").data().asDouble()).allMatch(Double::isFinite));
        }
        if (method.equals("ti")) assertTrue(Files.isRegularFile(out.resolve("learned_embeds.safetensors")));
        List<TrainingLog.Step> log = TrainingLog.read(out.resolve("log.jsonl"));
        assertEquals(List.of(1, 2), log.stream().map(TrainingLog.Step::step).toList());
        for (TrainingLog.Step s : log) {
            assertTrue(Double.isFinite(s.loss().get("anchor")), s.toString());
            if (method.startsWith("adi")) {
                double[] kept = s.kept("mask");
                assertEquals(16, kept.length);
                // beta 0.5 per token: the context mask keeps exactly half of each row's channels
                if (!method.equals("adi-action-only")) {
                    for (double k : s.kept("context")) assertEquals(0.5, k, 1e-9);
                }
                if (method.equals("adi")) for (double k : kept) assertTrue(k <= 0.5 + 1e-9, Arrays.toString(kept));
            } else {
                assertTrue(s.kept().isEmpty(), "no masks for " + method);
            }
        }
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/checkpoint-2/state.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("report.html")));

        Captured g = adi(List.of("generate", "--model", TINY.toString(), "--prompt", "a photo of a panda <arms-up>",
                "--identifiers", ids.toString(), "--steps", "2", "--size", "64x64", "--out", out.resolve("gen").toString()));
        assertEquals(0, g.code(), g.all());
        assertTrue(Files.isRegularFile(out.resolve("gen/image-0.png")));
    }

    @Test
    void validationImagesTheReportAndTheLearningRateSchedule() throws Exception {
        Path out = dir.resolve("run-validation");
        Captured r = adi(train("pplus", out, "--validation-prompt", "a photo of a dog <arms-up>",
                "--validation-steps", "1", "--validation-inference-steps", "2", "--num-validation-images", "2",
                "--gradient-accumulation-steps", "2", "--scale-lr", "--lr-scheduler", "linear"));
        assertEquals(0, r.code(), r.all());
        // --scale-lr: 5e-3 x 2 accumulation steps; linear decay over 2 steps: factors 1 and 1/2
        assertEquals(List.of(1e-2, 5e-3), TrainingLog.read(out.resolve("log.jsonl")).stream()
                .map(TrainingLog.Step::lr).toList());
        for (String step : List.of("step-000001", "step-000002")) {
            assertTrue(Files.isRegularFile(out.resolve("validation").resolve(step).resolve("grid-3.png")), step);
            assertTrue(Files.isRegularFile(out.resolve("validation").resolve(step).resolve("image-4.png")), step);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("step-000002") && html.contains("loss"), html);
        assertTrue(r.err().contains("it/s") && r.err().contains("ETA"), r.err());
    }

    @Test
    void adiMakesItsOwnActionDifferentSamplesOnceAndReusesThem() throws Exception {
        Path out = dir.resolve("run-generated");
        List<String> args = train("adi", out, "--action-different-steps", "2");
        args.set(args.indexOf("--max-train-steps") + 1, "1");
        args.remove(args.indexOf("--action-different-dir") + 1);
        args.remove("--action-different-dir");
        Captured r = adi(args);
        assertEquals(0, r.code(), r.all());
        List<Path> samples;
        try (var s = Files.list(out.resolve("action-different"))) {
            samples = s.sorted().toList();
        }
        assertEquals(3, samples.size(), samples.toString());
        assertTrue(samples.get(0).getFileName().toString().startsWith("person0-"), samples.toString());
        List<java.nio.file.attribute.FileTime> times = new ArrayList<>();
        for (Path p : samples) times.add(Files.getLastModifiedTime(p));

        Captured again = adi(args);
        assertEquals(0, again.code(), again.all());
        assertTrue(!again.err().contains("subject model for"), "samples were made again: " + again.err());
        for (int i = 0; i < samples.size(); i++) assertEquals(times.get(i), Files.getLastModifiedTime(samples.get(i)));
    }

    @Test
    void customDiffusionTrainsAndGenerates() throws Exception {
        Path out = dir.resolve("run-custom-diffusion");
        List<String> args = train("custom-diffusion", out, "--learning-rate", "1e-5");
        Captured r = adi(args);
        assertEquals(0, r.code(), r.all());
        Path deltas = out.resolve("custom_diffusion.safetensors");
        assertEquals(deltas.toString(), r.out().strip());
        assertEquals(2, TrainingLog.read(out.resolve("log.jsonl")).size());
        Captured g = adi(List.of("generate", "--model", TINY.toString(), "--prompt", "a photo of a panda <arms-up>",
                "--custom-diffusion", deltas.toString(), "--steps", "2", "--size", "64x64", "--out",
                out.resolve("gen").toString()));
        assertEquals(0, g.code(), g.all());
        assertTrue(Files.isRegularFile(out.resolve("gen/image-0.png")));
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Captured twoWords = adi(train("pplus", dir.resolve("bad1"), "--initializer-token", "tall person"));
        assertEquals(1, twoWords.code());
        assertTrue(twoWords.err().contains("--initializer-token 'tall person' is 2 tokens"), twoWords.err());

        Captured beta = adi(train("adi", dir.resolve("bad2"), "--beta", "1.5"));
        assertEquals(1, beta.code());
        assertEquals("adi train: error: --beta must be in [0, 1], got 1.5", beta.err().strip());

        Path one = ActionFolders.exemplars(dir.resolve("one"), 1);
        List<String> args = train("pplus", dir.resolve("bad3"));
        args.set(args.indexOf(data.toString()), one.toString());
        Captured few = adi(args);
        assertEquals(1, few.code());
        assertEquals(1, few.err().strip().lines().count(), few.err());
        assertTrue(few.err().contains(one.toString()), few.err());

        Captured method = adi(train("dreambooth", dir.resolve("bad4")));
        assertEquals(1, method.code());
        assertTrue(method.err().contains("unknown method 'dreambooth'"), method.err());
    }
}
