package dev.adi4j.mini.judge;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.util.List;

/** RGB images to the judge's input: [batch, 3, size, size] in [-1, 1], zero-padded to the batch size. */
final class JudgeImages {
    private JudgeImages() {
    }

    static INDArray tensor(List<BufferedImage> images, int batch, int size) {
        if (images.size() > batch) {
            throw new IllegalArgumentException(images.size() + " images do not fit a batch of " + batch);
        }
        int plane = size * size;
        float[] data = new float[batch * 3 * plane];
        for (int b = 0; b < images.size(); b++) {
            BufferedImage img = checked(images.get(b), b, size);
            int base = b * 3 * plane;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int rgb = img.getRGB(x, y);
                    int p = y * size + x;
                    data[base + p] = ((rgb >> 16) & 0xff) / 127.5f - 1f;
                    data[base + plane + p] = ((rgb >> 8) & 0xff) / 127.5f - 1f;
                    data[base + 2 * plane + p] = (rgb & 0xff) / 127.5f - 1f;
                }
            }
        }
        return Nd4j.create(data, new long[]{batch, 3, size, size}, 'c');
    }

    static BufferedImage checked(BufferedImage img, int index, int size) {
        if (img == null) throw new IllegalArgumentException("image " + index + " is null");
        if (img.getWidth() != size || img.getHeight() != size) {
            throw new IllegalArgumentException("image " + index + " is " + img.getWidth() + "x" + img.getHeight()
                    + "; the judge classifies " + size + "x" + size + " images (render with Sample.render(" + size
                    + ") or resize first)");
        }
        return img;
    }
}
