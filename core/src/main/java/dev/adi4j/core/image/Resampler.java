package dev.adi4j.core.image;

import java.awt.image.BufferedImage;

/**
 * Separable convolution resize in the manner of PIL's {@code Image.resize}: the filter support is widened
 * by the scale factor when shrinking (antialiasing), weights are normalised per output pixel, and sample
 * centres sit at {@code (i + 0.5) * in/out}. Arithmetic is float with one rounding to 8 bits at the end;
 * PIL rounds to 8 bits between its horizontal and vertical passes, so results can differ from PIL by one
 * level in places.
 */
public final class Resampler {
    /** Interpolation filter. */
    public enum Filter {
        /** Triangle filter, support 1 (PIL BILINEAR, torchvision's default for Resize). */
        BILINEAR(1.0),
        /** Keys cubic with a = -0.5, support 2 (PIL BICUBIC). */
        BICUBIC(2.0);

        final double support;

        Filter(double support) { this.support = support; }

        double weight(double x) {
            x = Math.abs(x);
            if (this == BILINEAR) return x < 1 ? 1 - x : 0;
            double a = -0.5;
            if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
            if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
            return 0;
        }
    }

    private Resampler() {
    }

    /** Resizes an RGB image to {@code width x height}. */
    public static BufferedImage resize(BufferedImage src, int width, int height, Filter filter) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("target size must be positive, got "
                + width + "x" + height);
        int w = src.getWidth(), h = src.getHeight();
        if (w == width && h == height) return copy(src);
        float[][] planes = planes(src);
        float[][] out = new float[3][];
        for (int c = 0; c < 3; c++) {
            float[] horiz = pass(planes[c], w, h, width, true, filter);
            out[c] = pass(horiz, width, h, height, false, filter);
        }
        return image(out, width, height);
    }

    /** One 1-D pass along x (horizontal) or y over a row-major plane of size {@code w x h}. */
    private static float[] pass(float[] in, int w, int h, int outSize, boolean horizontal, Filter filter) {
        int inSize = horizontal ? w : h;
        if (inSize == outSize) return in;
        Kernel k = new Kernel(inSize, outSize, filter);
        int ow = horizontal ? outSize : w, oh = horizontal ? h : outSize;
        float[] out = new float[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int i = horizontal ? x : y;
                double acc = 0;
                int start = k.start[i];
                double[] wts = k.weights[i];
                for (int j = 0; j < wts.length; j++) {
                    int s = start + j;
                    acc += wts[j] * (horizontal ? in[y * w + s] : in[s * w + x]);
                }
                out[y * ow + x] = (float) acc;
            }
        }
        return out;
    }

    /** Per-output-pixel source start index and normalised weights. */
    private static final class Kernel {
        final int[] start;
        final double[][] weights;

        Kernel(int inSize, int outSize, Filter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            start = new int[outSize];
            weights = new double[outSize][];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - support + 0.5));
                int hi = Math.min(inSize, (int) Math.floor(center + support + 0.5));
                double[] w = new double[Math.max(1, hi - lo)];
                double sum = 0;
                for (int j = 0; j < hi - lo; j++) {
                    w[j] = filter.weight((lo + j - center + 0.5) / filterScale);
                    sum += w[j];
                }
                if (sum == 0) { // degenerate support: fall back to the nearest pixel
                    lo = Math.min(inSize - 1, (int) center);
                    w = new double[]{1};
                    sum = 1;
                }
                for (int j = 0; j < w.length; j++) w[j] /= sum;
                start[i] = lo;
                weights[i] = w;
            }
        }
    }

    static float[][] planes(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        float[][] p = new float[3][w * h];
        for (int i = 0; i < rgb.length; i++) {
            p[0][i] = (rgb[i] >> 16) & 0xff;
            p[1][i] = (rgb[i] >> 8) & 0xff;
            p[2][i] = rgb[i] & 0xff;
        }
        return p;
    }

    private static BufferedImage image(float[][] p, int w, int h) {
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (clampByte(p[0][i]) << 16) | (clampByte(p[1][i]) << 8) | clampByte(p[2][i]);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    private static int clampByte(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    static BufferedImage copy(BufferedImage src) {
        return crop(src, 0, 0, src.getWidth(), src.getHeight());
    }

    /** A TYPE_INT_RGB copy of the rectangle (x, y, w, h). */
    static BufferedImage crop(BufferedImage src, int x, int y, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, src.getRGB(x, y, w, h, null, 0, w), 0, w);
        return out;
    }
}
