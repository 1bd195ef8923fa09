package dev.adi4j.mini.base;

import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.core.tokenizer.Tokenizer;
import dev.adi4j.diffusion.pipeline.ImageCodec;
import dev.adi4j.mini.world.MiniDataset;
import dev.adi4j.mini.world.Mix;
import dev.adi4j.mini.world.Sample;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The rendered training set, encoded once: codec latents [N, C, h, w] (the codec is exact, so nothing is lost)
 * and token ids per caption, plus the empty prompt's ids for caption dropout.
 */
record TrainingData(INDArray latents, int[][] ids, int[] emptyIds) {
    static TrainingData render(BaseTrainConfig c, Tokenizer tokenizer, ImageCodec codec) {
        List<Sample> samples = MiniDataset.generate(c.seed(), c.datasetSize(), Mix.all(), c.policy());
        int size = c.model().imageSize();
        float[] pixels = new float[samples.size() * 3 * size * size];
        int[][] ids = new int[samples.size()][];
        for (int i = 0; i < samples.size(); i++) {
            toSigned(samples.get(i).render(size), pixels, i * 3 * size * size);
            ids[i] = tokenizer.encode(samples.get(i).caption());
        }
        INDArray images = Nd4j.create(pixels, new long[]{samples.size(), 3, size, size}, 'c');
        return new TrainingData(codec.encode(images), ids, tokenizer.encode(""));
    }

    /** RGB in [-1, 1], channel-major, written at {@code offset}. */
    static void toSigned(BufferedImage img, float[] out, int offset) {
        int w = img.getWidth(), h = img.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int p = y * w + x;
                out[offset + p] = ((rgb >> 16) & 0xff) / 127.5f - 1f;
                out[offset + w * h + p] = ((rgb >> 8) & 0xff) / 127.5f - 1f;
                out[offset + 2 * w * h + p] = (rgb & 0xff) / 127.5f - 1f;
            }
        }
    }

    int size() { return ids.length; }

    /**
     * Writes the set as tools/parity/train_base_torch.py reads it: "latents" [N, C, h, w], "ids" [N, L] and
     * "empty_ids" [L] (token ids as floats), atomically.
     */
    void write(Path file) throws IOException {
        int len = ids[0].length;
        float[] flat = new float[ids.length * len];
        for (int i = 0; i < ids.length; i++) for (int j = 0; j < len; j++) flat[i * len + j] = ids[i][j];
        float[] empty = new float[emptyIds.length];
        for (int j = 0; j < empty.length; j++) empty[j] = emptyIds[j];
        new SafetensorsWriter().add("latents", latents).add("ids", flat, ids.length, len)
                .add("empty_ids", empty, empty.length).write(file);
    }
}
