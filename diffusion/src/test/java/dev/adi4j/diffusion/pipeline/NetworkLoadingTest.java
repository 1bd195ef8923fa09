package dev.adi4j.diffusion.pipeline;

import dev.adi4j.testsupport.Shared;
import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.model.ModelFolderException;
import dev.adi4j.core.io.ModelLoadException;
import dev.adi4j.core.model.WeightFiles;
import dev.adi4j.core.model.WeightsVariant;
import dev.adi4j.core.safetensors.DType;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.diffusion.vae.AutoencoderKL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every network loads the same way from a model folder: the whole tiny-sd folder, a sharded UNet, an
 * fp16-only folder, and with one error family when weights are missing. Outputs are compared with the
 * networks loaded from tiny-sd's component folders, which the goldens check.
 */
class NetworkLoadingTest {
    private static final Path TINY = Shared.root()
            .resolve("fixtures/tiny-sd").toAbsolutePath().normalize();

    private static INDArray sample;
    private static INDArray timesteps;
    private static INDArray context;
    private static INDArray latent;
    private static final int[][] IDS = {{49406, 320, 1125, 539, 320, 2368, 49407}};

    private static INDArray unetReference;
    private static INDArray vaeReference;
    private static INDArray textReference;

    @BeforeAll
    static void references() throws Exception {
        assertTrue(Files.isDirectory(TINY), "shared fixtures missing at " + TINY);
        Nd4j.getRandom().setSeed(7);
        sample = Nd4j.randn(DataType.FLOAT, 1, 4, 8, 8);
        timesteps = Nd4j.createFromArray(500f);
        context = Nd4j.randn(DataType.FLOAT, 1, 7, 32);
        latent = Nd4j.randn(DataType.FLOAT, 1, 4, 4, 4);
        try (UNet unet = UNet.load(TINY.resolve("unet"));
             AutoencoderKL vae = AutoencoderKL.load(TINY.resolve("vae"));
             ClipTextEncoder text = ClipTextEncoder.load(TINY.resolve("text_encoder"))) {
            unetReference = unet.forward(sample, timesteps, context);
            vaeReference = vae.decode(latent);
            textReference = text.encode(IDS);
        }
    }

    @Test
    void tinySdLoadsEveryNetworkThroughModelFolder() throws Exception {
        ModelFolder folder = ModelFolder.open(TINY);
        try (UNet unet = UNet.load(folder);
             AutoencoderKL vae = AutoencoderKL.load(folder);
             ClipTextEncoder text = ClipTextEncoder.load(folder)) {
            assertEquals(unetReference, unet.forward(sample, timesteps, context));
            assertEquals(vaeReference, vae.decode(latent));
            assertEquals(textReference, text.encode(IDS));
        }
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(TINY)) {
            assertEquals(unetReference, pipe.unet().forward(sample, timesteps, context));
        }
    }

    @Test
    void shardedUNetFolderLoadsAllShards(@TempDir Path dir) throws Exception {
        Path unetDir = Files.createDirectories(dir.resolve("unet"));
        Files.copy(TINY.resolve("unet/config.json"), unetDir.resolve("config.json"));
        Map<String, String> weightMap = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(TINY.resolve("unet/diffusion_pytorch_model.safetensors"))) {
            List<String> names = new ArrayList<>(r.names());
            int half = names.size() / 2;
            writeShard(r, names.subList(0, half), unetDir, "diffusion_pytorch_model-00001-of-00002.safetensors", weightMap);
            writeShard(r, names.subList(half, names.size()), unetDir,
                    "diffusion_pytorch_model-00002-of-00002.safetensors", weightMap);
        }
        writeIndex(unetDir.resolve("diffusion_pytorch_model.safetensors.index.json"), weightMap);

        WeightFiles files = ModelFolder.component(Component.UNET, unetDir).unetWeights();
        assertTrue(files.sharded());
        assertEquals(2, files.files().size());
        try (UNet unet = UNet.load(unetDir)) {
            assertEquals(unetReference, unet.forward(sample, timesteps, context));
        }
    }

    @Test
    void fp16OnlyFolderLoadsEveryNetwork(@TempDir Path dir) throws Exception {
        Files.copy(TINY.resolve(ModelFolder.MODEL_INDEX), dir.resolve(ModelFolder.MODEL_INDEX));
        for (Component c : Component.values()) {
            Path out = Files.createDirectories(dir.resolve(c.folder()));
            Files.copy(TINY.resolve(c.folder()).resolve(c.configFile()), out.resolve(c.configFile()));
            SafetensorsWriter w = new SafetensorsWriter();
            try (SafetensorsReader r = SafetensorsReader.open(TINY.resolve(c.folder()).resolve(c.weightsFile()))) {
                for (String name : r.names()) {
                    // position_ids (I64) is optional and cannot be written as fp16: the text encoder recreates it
                    if (r.info(name).dtype() != DType.I64) w.add(name, r.loadFloat(name), DType.F16);
                }
            }
            w.write(out.resolve(c.weightsStem() + ".fp16.safetensors"));
        }

        ModelFolder preferFp32 = ModelFolder.open(dir);
        WeightFiles unetFiles = preferFp32.unetWeights();
        assertEquals(WeightsVariant.FP16, unetFiles.variant());
        assertTrue(unetFiles.fellBack(), "fp32 was asked for, so taking fp16 is noted");
        ModelFolder fp16 = ModelFolder.open(dir, WeightsVariant.FP16);
        assertFalse(fp16.vaeWeights().fellBack());
        for (ModelFolder folder : List.of(preferFp32, fp16)) {
            try (UNet unet = UNet.load(folder);
                 AutoencoderKL vae = AutoencoderKL.load(folder);
                 ClipTextEncoder text = ClipTextEncoder.load(folder)) {
                // fp16 weights are rounded to 11 significant bits, widened to float32 on load
                assertClose(unetReference, unet.forward(sample, timesteps, context));
                assertClose(vaeReference, vae.decode(latent));
                assertClose(textReference, text.encode(IDS));
            }
        }
    }

    @Test
    void missingWeightsAreOneErrorFamilyNamingFolderAndFile(@TempDir Path dir) throws IOException {
        Files.copy(TINY.resolve(ModelFolder.MODEL_INDEX), dir.resolve(ModelFolder.MODEL_INDEX));
        for (String other : List.of(ModelFolder.SCHEDULER, ModelFolder.TOKENIZER)) copyFolder(TINY.resolve(other), dir.resolve(other));
        for (Component c : Component.values()) {
            Path out = Files.createDirectories(dir.resolve(c.folder()));
            Files.copy(TINY.resolve(c.folder()).resolve(c.configFile()), out.resolve(c.configFile()));
        }
        ModelFolder folder = ModelFolder.open(dir);
        Map<Component, List<Executable>> loads = Map.of(
                Component.UNET, List.of(() -> UNet.load(folder), () -> UNet.load(dir.resolve("unet"))),
                Component.VAE, List.of(() -> AutoencoderKL.load(folder), () -> AutoencoderKL.load(dir.resolve("vae"))),
                Component.TEXT_ENCODER, List.of(() -> ClipTextEncoder.load(folder),
                        () -> ClipTextEncoder.load(dir.resolve("text_encoder"))));
        loads.forEach((c, calls) -> {
            for (Executable call : calls) {
                ModelLoadException e = assertThrows(ModelLoadException.class, call);
                assertInstanceOf(ModelFolderException.class, e);
                assertEquals(dir.resolve(c.folder()), e.path(), e.getMessage());
                assertTrue(e.getMessage().startsWith(dir.resolve(c.folder()) + ": ")
                        && e.getMessage().contains(c.weightsFile()), e.getMessage());
            }
        });
        ModelLoadException pipeline = assertThrows(ModelLoadException.class, () -> StableDiffusionPipeline.load(dir));
        assertEquals(dir.resolve(Component.TEXT_ENCODER.folder()), pipeline.path(), pipeline.getMessage());
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    private static void writeShard(SafetensorsReader r, List<String> names, Path dir, String file,
                                   Map<String, String> weightMap) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (String n : names) {
            w.add(n, r.loadFloat(n));
            weightMap.put(n, file);
        }
        w.write(dir.resolve(file));
    }

    private static void writeIndex(Path file, Map<String, String> weightMap) throws IOException {
        StringBuilder json = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        String sep = "";
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            json.append(sep).append('"').append(e.getKey()).append("\": \"").append(e.getValue()).append('"');
            sep = ", ";
        }
        Files.writeString(file, json.append("}}").toString());
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double scale = expected.amaxNumber().doubleValue();
        double err = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(err <= 1e-2 * scale, "max abs diff " + err + " vs scale " + scale);
        if (err == 0) fail("fp16 weights gave exactly the fp32 output: were the fp16 files read?");
    }
}
