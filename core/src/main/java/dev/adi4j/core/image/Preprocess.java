package dev.adi4j.core.image;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * The two square-crop conventions of the diffusers training scripts, producing {@code size x size} images
 * and VAE-ready tensors [1,3,size,size] in [-1,1].
 */
public final class Preprocess {
    /** Which diffusers training script's preprocessing to reproduce. */
    public enum Convention {
        /**
         * textual_inversion.py with {@code --center_crop}: crop the largest centred square
         * ({@code [(h-c)//2 : (h+c)//2]}, c = min side), then resize it to size x size with bicubic.
         */
        TEXTUAL_INVERSION_CROP_THEN_RESIZE,
        /**
         * train_text_to_image.py: torchvision {@code Resize(size)} (shorter side to size, longer side
         * {@code int(size*long/short)}, bilinear), then {@code CenterCrop(size)} (offset
         * {@code int(round((len-size)/2))}, Python round = half to even).
         */
        TEXT_TO_IMAGE_RESIZE_THEN_CROP
    }

    private Preprocess() {
    }

    /** Loads a file (alpha on white) and applies the convention: a [1,3,size,size] tensor in [-1,1]. */
    public static INDArray load(Path file, int size, Convention convention) {
        return load(file, size, convention, AlphaMode.COMPOSITE_ON_WHITE);
    }

    /** As {@link #load(Path, int, Convention)} with an explicit alpha treatment. */
    public static INDArray load(Path file, int size, Convention convention, AlphaMode alpha) {
        return Images.toTensor(apply(Images.readRgb(file, alpha), size, convention), PixelRange.MINUS_ONE_TO_ONE);
    }

    /** Applies a convention to an RGB image. */
    public static BufferedImage apply(BufferedImage img, int size, Convention convention) {
        return switch (convention) {
            case TEXTUAL_INVERSION_CROP_THEN_RESIZE -> centerCropThenResize(img, size);
            case TEXT_TO_IMAGE_RESIZE_THEN_CROP -> resizeShorterSideThenCenterCrop(img, size);
        };
    }

    /** {@link Convention#TEXTUAL_INVERSION_CROP_THEN_RESIZE}. */
    public static BufferedImage centerCropThenResize(BufferedImage img, int size) {
        checkSize(size);
        int w = img.getWidth(), h = img.getHeight();
        int c = Math.min(w, h);
        // Floor division of (len - c) / 2, as the script's integer slicing does.
        BufferedImage square = Resampler.crop(img, (w - c) / 2, (h - c) / 2, c, c);
        return Resampler.resize(square, size, size, Resampler.Filter.BICUBIC);
    }

    /** {@link Convention#TEXT_TO_IMAGE_RESIZE_THEN_CROP}. */
    public static BufferedImage resizeShorterSideThenCenterCrop(BufferedImage img, int size) {
        checkSize(size);
        int w = img.getWidth(), h = img.getHeight();
        int nw, nh;
        if (w <= h) {
            nw = size;
            nh = (int) ((long) size * h / w);
        } else {
            nh = size;
            nw = (int) ((long) size * w / h);
        }
        BufferedImage resized = Resampler.resize(img, nw, nh, Resampler.Filter.BILINEAR);
        int left = (int) Math.rint((nw - size) / 2.0);
        int top = (int) Math.rint((nh - size) / 2.0);
        return Resampler.crop(resized, left, top, size, size);
    }

    private static void checkSize(int size) {
        if (size <= 0) throw new IllegalArgumentException("size must be positive, got " + size);
    }
}
