package dev.adi4j.mini.base;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.diffusion.pipeline.GenerationRequest;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.mini.world.CaptionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaseModelTrainerTest {
    private static BaseTrainConfig tiny(int steps) {
        return BaseTrainConfig.standard().withModel(MiniModelConfig.tiny(), 4, 16).withSteps(steps).withCadence(2, 1);
    }

    @Test
    void trainingLowersTheLossOnAFixedBatch(@TempDir Path dir) throws Exception {
        BaseTrainConfig c = new BaseTrainConfig(MiniModelConfig.tiny(), CaptionPolicy.DEFAULT, 0, 4, 3e-3, 0, 0.0,
                0.9, 0.1, 1.0, 1, 16, 100, 1);
        try (TrainingSession s = new TrainingSession(c, dir)) {
            TrainingSession.Batch fixed = s.batch(1_000_000);
            double before = s.gradients(fixed).loss();
            for (int i = 0; i < 8; i++) s.step();
            double after = s.gradients(fixed).loss();
            assertTrue(after < before, "loss on a fixed batch went from " + before + " to " + after);
        }
    }

    @Test
    void checkpointRestoresTheStateBitForBit(@TempDir Path dir) throws Exception {
        BaseTrainConfig c = tiny(2);
        try (TrainingSession a = new TrainingSession(c, dir)) {
            a.step();
            a.step();
            a.save(dir.resolve("ck"));
            try (TrainingSession b = new TrainingSession(c, dir)) {
                b.restore(dir.resolve("ck"));
                assertEquals(a.step, b.step);
                assertBitEqual(a.parameters(), b.parameters());
                assertBitEqual(a.ema, b.ema);
                assertBitEqual(a.adam.stateTensors(), b.adam.stateTensors());
                assertEquals(a.gradients(a.batch(3)).loss(), b.gradients(b.batch(3)).loss());
            }
        }
    }

    /**
     * A killed run resumes where its checkpoint left it, bit for bit. (It once differed in the last bits: the
     * execution plan's first run used another thread count than its later runs, and the resumed run compiles its
     * plans at another step; see ExecutionPlan#compile.)
     */
    @Test
    void resumedRunMatchesAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        Path split = dir.resolve("split");
        BaseModelTrainer.run(tiny(3), whole, l -> { });
        BaseModelTrainer.run(tiny(2), split, l -> { });
        List<String> lines = new ArrayList<>();
        BaseModelTrainer.Result r = BaseModelTrainer.run(tiny(3), split, lines::add);
        assertTrue(lines.get(0).startsWith("resumed at step 2"), lines.get(0));
        assertEquals(3, r.steps());
        try (SafetensorsReader a = SafetensorsReader.open(whole.resolve(TrainingSession.CHECKPOINT));
             SafetensorsReader b = SafetensorsReader.open(split.resolve(TrainingSession.CHECKPOINT))) {
            assertEquals(a.names(), b.names());
            for (String n : a.names()) {
                INDArray x = a.loadFloat(n);
                INDArray y = b.loadFloat(n);
                assertArrayEquals(x.dup('c').data().asFloat(), y.dup('c').data().asFloat(), 0f, n);
            }
        }
    }

    private static void assertBitEqual(java.util.Map<String, INDArray> a, java.util.Map<String, INDArray> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String n : a.keySet()) {
            assertArrayEquals(a.get(n).dup('c').data().asFloat(), b.get(n).dup('c').data().asFloat(), 0f, n);
        }
    }

    /**
     * The exported folder holds the trained weights: with an EMA decay of 0 the EMA is the weights themselves, so the
     * exported UNet and text encoder must compute what the session's networks compute, to the bit.
     */
    @Test
    void exportedFolderHoldsTheTrainedNetworks(@TempDir Path dir) throws Exception {
        BaseTrainConfig c = new BaseTrainConfig(MiniModelConfig.tiny(), CaptionPolicy.DEFAULT, 3, 4, 3e-3, 0, 0.01,
                0.0, 0.1, 1.0, 1, 16, 100, 1);
        BaseModelTrainer.Result r = BaseModelTrainer.run(c, dir, l -> { });
        try (TrainingSession s = new TrainingSession(c, dir);
             StableDiffusionPipeline pipe = StableDiffusionPipeline.load(r.model())) {
            s.restore(dir.resolve(TrainingSession.CHECKPOINT));
            TrainingSession.Batch b = s.batch(99);
            INDArray ctxSession = s.text.forward(s.text.embed(b.ids(), java.util.Map.of()));
            INDArray ctxExported = pipe.textEncoder().forward(pipe.textEncoder().embed(b.ids(), java.util.Map.of()));
            assertArrayEquals(ctxSession.dup('c').data().asFloat(), ctxExported.dup('c').data().asFloat(), 0f);
            float[] ts = new float[b.timesteps().length];
            for (int i = 0; i < ts.length; i++) ts[i] = b.timesteps()[i];
            INDArray t = org.nd4j.linalg.factory.Nd4j.createFromArray(ts);
            INDArray outSession = s.unet.forward(b.x0(), t, ctxSession);
            INDArray outExported = pipe.unet().forward(b.x0(), t, ctxSession);
            assertArrayEquals(outSession.dup('c').data().asFloat(), outExported.dup('c').data().asFloat(), 0f);
        }
    }

    @Test
    void writesTheTrainingSetForThePyTorchYardstick(@TempDir Path dir) throws Exception {
        BaseTrainConfig c = tiny(2);
        Path file = dir.resolve("data.safetensors");
        BaseModelTrainer.writeTrainingData(c, dir.resolve("run"), file);
        try (TrainingSession s = new TrainingSession(c, dir.resolve("run"));
             SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(s.data.latents(), r.loadFloat("latents"));
            INDArray ids = r.loadFloat("ids");
            assertEquals(c.datasetSize(), ids.size(0));
            for (int i = 0; i < c.datasetSize(); i++) {
                for (int j = 0; j < ids.size(1); j++) assertEquals(s.data.ids()[i][j], ids.getInt(i, j));
            }
            assertEquals(s.tokenizer.encode("")[0], r.loadFloat("empty_ids").getInt(0));
        }
    }

    /** Checkpoints written while the held-out set printed in a process-dependent order still resume. */
    @Test
    void storedIdentityIsComparedWithItsHeldOutActionsInDeclarationOrder() {
        String now = BaseTrainConfig.standard().identity();
        assertTrue(now.contains("heldOut=[HANDSTAND, JUMPING]"), now);
        String old = now.replace("heldOut=[HANDSTAND, JUMPING]", "heldOut=[JUMPING, HANDSTAND]");
        assertEquals(now, BaseTrainConfig.canonicalIdentity(old));
        assertEquals(now, BaseTrainConfig.canonicalIdentity(now));
        String other = now.replace("batch=32", "batch=16");
        org.junit.jupiter.api.Assertions.assertNotEquals(now, BaseTrainConfig.canonicalIdentity(other));
    }

    @Test
    void exportedFolderGeneratesThroughThePipeline(@TempDir Path dir) throws Exception {
        BaseModelTrainer.Result r = BaseModelTrainer.run(tiny(1), dir, l -> { });
        assertTrue(Files.isRegularFile(r.model().resolve("README.md")));
        assertTrue(Files.notExists(r.model().resolve("vae")));
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(r.model())) {
            GenerationRequest req = new GenerationRequest(
                    "a photo of a red robot waving one hand on a blue background", "", 32, 32, 3, 3.0, null, 7, 1);
            INDArray img = pipe.generate(req, Identifiers.none(), dev.adi4j.diffusion.pipeline.StepListener.NONE);
            assertArrayEquals(new long[]{1, 3, 32, 32}, img.shape());
        }
    }
}
