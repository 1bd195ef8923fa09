package dev.adi4j.adi.train;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.diffusion.pipeline.ImageCodec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * VAE latents of training images, encoded once: the distribution's mean times the scaling factor (deterministic, so
 * a resumed run sees the same latents). Kept in {@code cache/latents-<hash>.safetensors} keyed by the exact
 * preprocessed pixels and the VAE's identity, so a changed image or model is re-encoded, never silently reused.
 */
public final class LatentCache {
    private final Path dir;
    private final ImageCodec codec;
    private final String codecIdentity;

    /** @param codecIdentity anything that changes when the codec (VAE) weights or config change (e.g. files, sizes, times) */
    public LatentCache(Path runDir, ImageCodec codec, String codecIdentity) {
        this.dir = runDir.resolve("cache");
        this.codec = codec;
        this.codecIdentity = codecIdentity;
    }

    /** Scaled latents [1, C, h, w] of {@code images} ([1, 3, R, R] in [-1, 1]), from the cache when present. */
    public List<INDArray> latents(String purpose, List<INDArray> images) {
        Path file = dir.resolve("latents-" + purpose + "-" + key(images) + ".safetensors");
        if (Files.isRegularFile(file)) {
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                List<INDArray> out = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) out.add(r.loadFloat(Integer.toString(i)).dup());
                return out;
            } catch (RuntimeException e) {
                // an unreadable cache is recomputed and rewritten below
            }
        }
        List<INDArray> out = new ArrayList<>();
        SafetensorsWriter w = new SafetensorsWriter().metadata("adi4j.latents", purpose);
        for (int i = 0; i < images.size(); i++) {
            INDArray z = codec.encode(images.get(i)).castTo(DataType.FLOAT).dup();
            out.add(z);
            w.add(Integer.toString(i), z);
        }
        try {
            Files.createDirectories(dir);
            w.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write latent cache " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private String key(List<INDArray> images) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(codecIdentity.getBytes(StandardCharsets.UTF_8));
            for (INDArray img : images) {
                float[] v = img.castTo(DataType.FLOAT).dup('c').data().asFloat();
                ByteBuffer b = ByteBuffer.allocate(v.length * 4 + 8 * img.rank()).order(ByteOrder.LITTLE_ENDIAN);
                for (long d : img.shape()) b.putLong(d);
                for (float f : v) b.putFloat(f);
                md.update(b.array());
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
