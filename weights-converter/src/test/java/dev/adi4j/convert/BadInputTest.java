package dev.adi4j.convert;

import dev.adi4j.core.safetensors.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each bad input gives a ConversionException naming the file, the key and the problem; nothing is written. */
class BadInputTest {
    @TempDir
    static Path dir;
    static Map<String, INDArray> tiny;

    @BeforeAll
    static void load() {
        tiny = TinyCheckpoint.tensors();
    }

    private static ConversionException convertFails(Path input) {
        Path out = dir.resolve("out-" + input.getFileName());
        ConversionException e = assertThrows(ConversionException.class, () -> new Converter().convert(
                new Converter.Options(input, out, null, Fixtures.tinySd().toString(), null, false), Converter.Progress.NONE));
        assertFalse(Files.exists(out), "nothing written on failure");
        assertTrue(e.getMessage().contains(input.getFileName().toString()), e.getMessage());
        return e;
    }

    private static Path variant(String name, Map<String, INDArray> tensors) {
        return TinyCheckpoint.write(dir.resolve(name), tensors, DType.F32);
    }

    @Test
    void missingKey() {
        Map<String, INDArray> t = new TreeMap<>(tiny);
        t.remove("model.diffusion_model.input_blocks.1.0.in_layers.2.weight");
        t.remove("first_stage_model.decoder.mid.attn_1.q.bias");
        ConversionException e = convertFails(variant("missing.safetensors", t));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("'down_blocks.0.resnets.0.conv1.weight': missing unet tensor"), e.getMessage());
        assertTrue(e.getMessage().contains("'decoder.mid_block.attentions.0.to_q.bias': missing vae tensor"), e.getMessage());
    }

    @Test
    void wrongShape() {
        Map<String, INDArray> t = new TreeMap<>(tiny);
        t.put("model.diffusion_model.out.2.weight", Nd4j.zeros(4, 32, 1, 1));
        t.put("cond_stage_model.model.transformer.resblocks.0.attn.in_proj_weight", Nd4j.zeros(95, 32));
        ConversionException e = convertFails(variant("shape.safetensors", t));
        assertTrue(e.getMessage().contains("'conv_out.weight': wrong shape [4, 32, 1, 1], the unet network expects [4, 32, 3, 3]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("'cond_stage_model.model.transformer.resblocks.0.attn.in_proj_weight': wrong shape"),
                e.getMessage());
    }

    @Test
    void unknownExtraKeyIsReportedNotDropped() {
        Map<String, INDArray> t = new TreeMap<>(tiny);
        t.put("model.diffusion_model.input_blocks.1.0.in_layers.5.weight", Nd4j.zeros(4));
        t.put("some_other_model.weight", Nd4j.zeros(4));
        ConversionException e = convertFails(variant("extra.safetensors", t));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("'some_other_model.weight': unknown key"), e.getMessage());
        assertTrue(e.getMessage().contains("'model.diffusion_model.input_blocks.1.0.in_layers.5.weight': unknown key"), e.getMessage());
    }

    @Test
    void duplicateKeyInTheHeader() throws IOException {
        String header = "{\"model.diffusion_model.out.2.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"model.diffusion_model.out.2.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path f = dir.resolve("dup.safetensors");
        Files.write(f, b.array());
        ConversionException e = convertFails(f);
        assertEquals("model.diffusion_model.out.2.bias", e.key());
        assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
    }

    @Test
    void truncatedFile() throws IOException {
        Path f = variant("truncated.safetensors", tiny);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        ConversionException e = convertFails(f);
        assertTrue(e.key() != null && e.getMessage().contains("beyond the data section"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2-1_768-ema-pruned.ckpt", "model.pt", "pytorch_model.bin"})
    void picklesAreRefusedWithAHint(String name) throws IOException {
        Path f = Files.write(dir.resolve(name), new byte[]{(byte) 0x80, 2});
        ConversionException e = convertFails(f);
        assertTrue(e.getMessage().contains("not loaded") && e.getMessage().contains("v2-1_768-ema-pruned.safetensors"),
                e.getMessage());
    }

    @Test
    void targetExistsWithoutForce() throws IOException {
        Path out = Files.createDirectories(dir.resolve("existing"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        ConversionException e = assertThrows(ConversionException.class, () -> new Converter().convert(
                new Converter.Options(Fixtures.tinySd(), out, null, null, null, false), Converter.Progress.NONE));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        new Converter().convert(new Converter.Options(Fixtures.tinySd(), out, null, null, null, true), Converter.Progress.NONE);
        assertFalse(Files.exists(out.resolve("keep.txt")));
        assertTrue(Verifier.verify(out).ok());
    }

    @Test
    void singleFileWithoutConfigOrNameHintAsksForConfig() {
        Path f = variant("mystery.safetensors", tiny);
        ConversionException e = assertThrows(ConversionException.class, () -> new Converter().convert(
                new Converter.Options(f, dir.resolve("m"), null, null, null, false), Converter.Progress.NONE));
        assertTrue(e.getMessage().contains("--config sd21"), e.getMessage());
    }

    @Test
    void verifyReportsEveryProblem() throws IOException {
        Path out = dir.resolve("broken");
        new Converter().convert(new Converter.Options(Fixtures.tinySd(), out, null, null, null, false), Converter.Progress.NONE);
        Map<String, INDArray> vae = new TreeMap<>();
        try (var r = dev.adi4j.core.safetensors.SafetensorsReader.open(out.resolve("vae/diffusion_pytorch_model.safetensors"))) {
            vae.putAll(r.loadAllFloat());
        }
        vae.get("decoder.conv_in.bias").putScalar(0, Float.NaN);
        vae.remove("encoder.conv_in.bias");
        vae.put("encoder.extra", Nd4j.zeros(2));
        Path vaeFile = out.resolve("vae/diffusion_pytorch_model.safetensors");
        Files.delete(vaeFile);
        TinyCheckpoint.write(vaeFile, vae, DType.F32);
        Files.delete(out.resolve("tokenizer/merges.txt"));
        Verifier.Report report = Verifier.verify(out);
        assertFalse(report.ok());
        String all = String.join("\n", report.problems());
        assertEquals(4, report.problems().size(), all);
        assertTrue(all.contains("'decoder.conv_in.bias': 1 NaN"), all);
        assertTrue(all.contains("'encoder.conv_in.bias': missing"), all);
        assertTrue(all.contains("'encoder.extra': unexpected"), all);
        assertTrue(all.contains("merges.txt: missing"), all);
    }
}
