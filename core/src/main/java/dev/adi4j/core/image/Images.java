package dev.adi4j.core.image;

import dev.adi4j.core.io.RegularFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Image file to RGB {@link BufferedImage} and between 8-bit RGB images and float32 NCHW tensors.
 * Every image handled here is {@link BufferedImage#TYPE_INT_RGB}: grayscale is replicated into R=G=B
 * (raw sample values, no colour-space gamma change, like PIL's {@code convert("RGB")}) and alpha is
 * handled by an {@link AlphaMode}.
 */
public final class Images {
    private Images() {
    }

    /** Reads a PNG/JPEG (any format javax.imageio decodes), alpha composited on white. */
    public static BufferedImage readRgb(Path file) {
        return readRgb(file, AlphaMode.COMPOSITE_ON_WHITE);
    }

    /** Reads an image as 8-bit RGB; errors are {@link ImageFormatException}s naming the file. */
    public static BufferedImage readRgb(Path file, AlphaMode alpha) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(RegularFiles.require(file, "image", ImageFormatException::new));
        } catch (NoSuchFileException e) {
            throw new ImageFormatException(file, "file not found");
        } catch (IOException e) {
            throw new ImageFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        if (bytes.length == 0) throw new ImageFormatException(file, "empty file (0 bytes), expected a PNG or JPEG image");
        return toRgb(decode(file, bytes), alpha);
    }

    /**
     * The most pixels an image file may declare: a decoded image takes up to 16 bytes a pixel on the heap (a
     * 16-bit RGBA raster at 8 plus its 8-bit RGB copy at 4, rounded up) and may use at most half the heap, so a
     * small file claiming a huge size is refused before any pixel buffer is allocated.
     */
    public static long maxPixels() {
        return Runtime.getRuntime().maxMemory() / 2 / 16;
    }

    private static BufferedImage decode(Path file, byte[] bytes) {
        if (PngChunks.isPng(bytes)) PngChunks.walk(file, bytes, (type, png, offset, length) -> { });
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFormatException(file, "unrecognized image format (first bytes " + hex(bytes)
                        + "); expected PNG or JPEG");
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName();
            try {
                reader.setInput(in, true, true);
                checkSize(file, format, reader.getWidth(0), reader.getHeight(0));
                BufferedImage img = reader.read(0);
                if (img.getWidth() <= 0 || img.getHeight() <= 0) {
                    throw new ImageFormatException(file, format + " image has no pixels");
                }
                return img;
            } catch (IOException | RuntimeException e) {
                if (e instanceof ImageFormatException ife) throw ife;
                // ImageIO reports truncation and corruption as IIOException/EOFException or, for some
                // malformed headers, as unchecked exceptions: all mean the same thing to the caller.
                throw new ImageFormatException(file, "corrupt, truncated or unsupported " + format + " image: "
                        + rootMessage(e), e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageFormatException(file, "cannot decode: " + rootMessage(e), e);
        }
    }

    private static void checkSize(Path file, String format, int width, int height) {
        long pixels = (long) width * height;
        if (pixels > maxPixels()) {
            throw new ImageFormatException(file, format + " image declares " + width + "x" + height + " = " + pixels
                    + " pixels, more than the " + maxPixels() + " a " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB heap can decode");
        }
    }

    /** Converts any decoded image to TYPE_INT_RGB. */
    public static BufferedImage toRgb(BufferedImage src, AlphaMode alpha) {
        int w = src.getWidth(), h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        boolean gray = isRawGray(src.getColorModel());
        Raster raster = src.getRaster();
        int grayMax = gray ? (1 << src.getColorModel().getComponentSize(0)) - 1 : 0;
        boolean hasAlpha = src.getColorModel().hasAlpha();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r, g, b, a;
                if (gray) {
                    r = g = b = scale(raster.getSample(x, y, 0), grayMax);
                    a = hasAlpha ? scale(raster.getSample(x, y, 1), (1 << src.getColorModel().getComponentSize(1)) - 1) : 255;
                } else {
                    int argb = src.getRGB(x, y);
                    a = argb >>> 24;
                    r = (argb >> 16) & 0xff;
                    g = (argb >> 8) & 0xff;
                    b = argb & 0xff;
                }
                if (alpha == AlphaMode.COMPOSITE_ON_WHITE && a < 255) {
                    r = overWhite(r, a);
                    g = overWhite(g, a);
                    b = overWhite(b, a);
                }
                row[x] = (r << 16) | (g << 8) | b;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /**
     * Gray images must be read from the raster: Java's linear-gray colour space would otherwise
     * brighten mid-tones through a gamma conversion in getRGB.
     */
    private static boolean isRawGray(ColorModel cm) {
        return cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    private static int scale(int v, int max) {
        return max == 255 ? v : (int) Math.round(v * 255.0 / max);
    }

    private static int overWhite(int c, int a) {
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    /** An RGB image as a float32 tensor [1,3,H,W] in the given range. */
    public static INDArray toTensor(BufferedImage img, PixelRange range) {
        int w = img.getWidth(), h = img.getHeight();
        float[] data = new float[3 * h * w];
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            data[i] = range.fromByte((p >> 16) & 0xff);
            data[plane + i] = range.fromByte((p >> 8) & 0xff);
            data[2 * plane + i] = range.fromByte(p & 0xff);
        }
        return Nd4j.create(data, new long[]{1, 3, h, w}, DataType.FLOAT);
    }

    /**
     * Splits an NCHW tensor (N >= 1, C = 3, or rank 3 CHW) into 8-bit RGB images. Values are clamped to
     * the range and rounded half-to-even, as diffusers' {@code numpy_to_pil} does.
     */
    public static List<BufferedImage> fromTensor(INDArray images, PixelRange range) {
        INDArray t = images.rank() == 3 ? images.reshape(1, images.size(0), images.size(1), images.size(2)) : images;
        if (t.rank() != 4 || t.size(1) != 3) {
            throw new IllegalArgumentException("expected an image tensor [N,3,H,W] or [3,H,W], got shape "
                    + Arrays.toString(images.shape()));
        }
        int n = (int) t.size(0), h = (int) t.size(2), w = (int) t.size(3);
        float[] data = t.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int plane = h * w;
        List<BufferedImage> out = new ArrayList<>(n);
        int[] rgb = new int[plane];
        for (int k = 0; k < n; k++) {
            int base = k * 3 * plane;
            for (int i = 0; i < plane; i++) {
                float r = data[base + i], g = data[base + plane + i], b = data[base + 2 * plane + i];
                if (Float.isNaN(r) || Float.isNaN(g) || Float.isNaN(b)) {
                    throw new IllegalArgumentException("image " + k + " of the batch contains NaN at pixel (x="
                            + (i % w) + ", y=" + (i / w) + ")");
                }
                rgb[i] = (range.toByte(r) << 16) | (range.toByte(g) << 8) | range.toByte(b);
            }
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, w, h, rgb, 0, w);
            out.add(img);
        }
        return out;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) s.append(String.format("%02x", b[i] & 0xff));
        return s.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return t == e ? String.valueOf(m) : e.getMessage() + " (" + t.getClass().getSimpleName() + ": " + m + ")";
    }
}
