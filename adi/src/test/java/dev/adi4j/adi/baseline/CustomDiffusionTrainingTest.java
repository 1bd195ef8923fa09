package dev.adi4j.adi.baseline;

import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.tokenizer.ClipTokenizer;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.diffusion.scheduler.DdpmTraining;
import dev.adi4j.diffusion.scheduler.NoiseSource;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Custom Diffusion training on the tiny SD fixture: what changes, that the loss goes down, determinism, generation. */
class CustomDiffusionTrainingTest {
    static UNet unet;
    static ClipTextEncoder text;
    static ClipTokenizer tokenizer;
    static SchedulerConfig scheduler;
    static CustomDiffusion trainer;
    static INDArray latents;

    @BeforeAll
    static void load() {
        unet = TinySd.trainableUNet();
        text = TinySd.text();
        tokenizer = TinySd.tokenizer();
        scheduler = TinySd.scheduler();
        trainer = new CustomDiffusion(unet, text, tokenizer, scheduler);
        latents = NoiseSource.gaussian(42).next(new long[]{1, 4, 16, 16}).muli(0.8);
    }

    @AfterAll
    static void close() throws Exception {
        unet.close();
    }

    private static CustomDiffusion.Options options(int steps, double lr, long seed) {
        return new CustomDiffusion.Options("<S>", "person", steps, lr, seed, "tiny-sd");
    }

    private static List<CustomDiffusion.Example> example() {
        return List.of(new CustomDiffusion.Example(latents, "a photo of <S> person"));
    }

    /** The loss of the draw the trainer's first step uses, with the UNet's current weights and token vector v. */
    private static double firstDrawLoss(long seed, INDArray v) {
        int t = CustomDiffusion.timesteps(seed).nextInt(scheduler.numTrainTimesteps());
        INDArray eps = CustomDiffusion.noise(seed).next(latents.shape());
        DdpmTraining training = DdpmTraining.of(scheduler);
        INDArray noisy = training.addNoise(latents, eps, new int[]{t});
        INDArray target = training.target(latents, eps, new int[]{t});
        int id = tokenizer.addToken("<S>");
        INDArray ctx = text.encodeWithOverrides(new int[][]{tokenizer.encode("a photo of <S> person")}, id, v);
        INDArray out = unet.forward(noisy, Nd4j.createFromArray((float) t), ctx);
        return out.sub(target).norm2Number().doubleValue() * out.sub(target).norm2Number().doubleValue() / out.length();
    }

    @Test
    void oneStepLowersTheLossAndChangesOnlyKeyValueWeightsAndTheToken() throws Exception {
        long seed = 3;
        INDArray v0 = trainer.initialEmbedding("person");
        double before = firstDrawLoss(seed, v0);
        TinySd.Sgd sgd = new TinySd.Sgd();
        long t0 = System.nanoTime();
        CustomDiffusion.Result r = trainer.train(example(), options(1, 0.05, seed), sgd, CustomDiffusion.Progress.NONE);
        System.out.printf("one Custom Diffusion step on tiny-sd, 16x16 latents (graphs may be built already by other tests): %.2f s%n",
                (System.nanoTime() - t0) / 1e9);
        assertEquals(before, r.losses()[0], 1e-5 * before, "the step's loss is the loss of that draw");

        // the optimizer saw exactly the 32 key/value weights and the token
        List<String> kv = UNet.declaredParameters(unet.config()).stream().map(ParamSpec::name)
                .filter(CustomDiffusion.TRAINABLE).toList();
        assertEquals(32, kv.size());
        assertEquals(33, sgd.seen.size());
        assertTrue(sgd.seen.containsAll(kv) && sgd.seen.contains("<S>"), sgd.seen.toString());
        assertEquals(kv.stream().sorted().toList(), List.copyOf(r.deltas().weights().keySet()));

        // training put the UNet back: every weight equals the file's
        try (SafetensorsReader file = SafetensorsReader.open(TinySd.ROOT.resolve("unet/" + UNet.WEIGHTS_FILE))) {
            for (ParamSpec p : UNet.declaredParameters(unet.config())) {
                INDArray expected = p.layout().toGraph(file.loadFloat(p.name()));
                assertTrue(Arrays.equals(expected.data().asFloat(), unet.parameter(p.name()).data().asFloat()),
                        p.name() + " changed");
                if (CustomDiffusion.TRAINABLE.test(p.name())) {
                    assertTrue(!Arrays.equals(file.loadFloat(p.name()).data().asFloat(),
                            r.deltas().weights().get(p.name()).data().asFloat()), p.name() + " not trained");
                }
            }
        }
        assertTrue(!Arrays.equals(v0.data().asFloat(), r.deltas().tokenVector().data().asFloat()), "token not trained");

        // with the trained weights and token the same draw has a lower loss
        double after;
        try (CustomDiffusionDeltas.Applied a = r.deltas().applyTo(unet)) {
            after = firstDrawLoss(seed, r.deltas().tokenVector());
        }
        System.out.printf("loss of the step's draw: %.6f -> %.6f%n", before, after);
        assertTrue(after < before, "loss " + before + " -> " + after);
        assertEquals(before, firstDrawLoss(seed, v0), 0.0, "restored exactly");
    }

    @Test
    void deterministicForASeedAndTimed() {
        CustomDiffusion.Result a = trainer.train(example(), options(3, 0.01, 11), new TinySd.Sgd(), CustomDiffusion.Progress.NONE);
        long t0 = System.nanoTime();
        CustomDiffusion.Result b = trainer.train(example(), options(3, 0.01, 11), new TinySd.Sgd(),
                (s, n, loss) -> System.out.printf("step %d/%d loss %.5f%n", s + 1, n, loss));
        System.out.printf("Custom Diffusion on tiny-sd, 16x16 latents, warm: %.3f s per step%n", (System.nanoTime() - t0) / 3e9);
        assertArrayEquals(a.losses(), b.losses());
        assertEquals(a.deltas().tokenVector(), b.deltas().tokenVector());
        for (String n : a.deltas().weights().keySet()) {
            assertTrue(Arrays.equals(a.deltas().weights().get(n).data().asFloat(), b.deltas().weights().get(n).data().asFloat()), n);
        }
        CustomDiffusion.Result c = trainer.train(example(), options(3, 0.01, 12), new TinySd.Sgd(), CustomDiffusion.Progress.NONE);
        assertTrue(!Arrays.equals(a.losses(), c.losses()), "another seed draws other timesteps and noise");
    }

    @Test
    void clearErrors() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.train(
                List.of(new CustomDiffusion.Example(latents, "a photo of a person")), options(1, 0.01, 1),
                new TinySd.Sgd(), CustomDiffusion.Progress.NONE));
        assertTrue(e.getMessage().contains("does not contain the token <S>"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer.train(example(),
                new CustomDiffusion.Options("<S>", "a person", 1, 0.01, 1, ""), new TinySd.Sgd(), CustomDiffusion.Progress.NONE));
        assertTrue(e.getMessage().contains("exactly one token"), e.getMessage());
        try (UNet frozen = UNet.load(TinySd.ROOT.resolve("unet"))) {
            e = assertThrows(IllegalArgumentException.class, () -> new CustomDiffusion(frozen, text, tokenizer, scheduler)
                    .train(example(), options(1, 0.01, 1), new TinySd.Sgd(), CustomDiffusion.Progress.NONE));
            assertTrue(e.getMessage().contains("CustomDiffusion.TRAINABLE"), e.getMessage());
        }
    }

    @Test
    void trainedSubjectGeneratesActionDifferentSamples() throws Exception {
        CustomDiffusionDeltas subject = trainer.train(example(), options(2, 0.05, 5), new TinySd.Sgd(),
                CustomDiffusion.Progress.NONE).deltas();
        StableDiffusionPipeline pipe = new StableDiffusionPipeline(tokenizer, text, unet, TinySd.vae(), scheduler);
        ActionDifferentSamples.Settings settings = new ActionDifferentSamples.Settings(
                ActionDifferentSamples.DEFAULT_TEMPLATE, "", 64, 64, 2, 7.5, null, 9);
        INDArray ctx = text.encode(new int[][]{tokenizer.encode("a photo")});
        INDArray probe = NoiseSource.gaussian(1).next(new long[]{1, 4, 8, 8});
        INDArray baseOut = unet.forward(probe, Nd4j.createFromArray(500f), ctx);

        List<ActionDifferentSamples.Sample> samples = ActionDifferentSamples.generate(pipe, subject,
                List.of("standing", "walking"), settings);
        assertEquals(2, samples.size());
        assertEquals("a photo of <S> person walking", samples.get(1).prompt());
        for (ActionDifferentSamples.Sample s : samples) {
            assertArrayEquals(new long[]{1, 3, 64, 64}, s.image().shape());
            assertArrayEquals(new long[]{1, 4, 8, 8}, s.latents().shape());
            assertTrue(s.image().minNumber().doubleValue() >= 0 && s.image().maxNumber().doubleValue() <= 1);
            assertTrue(Double.isFinite(s.latents().sumNumber().doubleValue()));
        }
        assertNotEquals(samples.get(0).latents(), samples.get(1).latents(), "the action phrase must matter");
        List<ActionDifferentSamples.Sample> again = ActionDifferentSamples.generate(pipe, subject, List.of("walking"), settings);
        assertTrue(Arrays.equals(samples.get(1).image().data().asFloat(), again.get(0).image().data().asFloat()), "seeded");
        assertTrue(Arrays.equals(baseOut.data().asFloat(), unet.forward(probe, Nd4j.createFromArray(500f), ctx).data().asFloat()),
                "the UNet is restored after sampling");
    }
}
