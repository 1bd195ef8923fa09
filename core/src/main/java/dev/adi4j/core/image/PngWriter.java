package dev.adi4j.core.image;

import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes PNG files atomically (temp file + rename in the target folder) with PNG text chunks, e.g.
 * {@code "parameters"} in the A1111 layout (see {@link GenerationParameters}) plus any other key/values.
 * Existing files are replaced only when {@code overwrite} is true.
 */
public final class PngWriter {
    /** The key A1111 and compatible tools read generation settings from. */
    public static final String PARAMETERS_KEY = "parameters";

    private PngWriter() {
    }

    /** Writes one image with the given text chunks (insertion order kept). */
    public static void write(BufferedImage image, Path file, Map<String, String> text, boolean overwrite) {
        AtomicFiles.write(file, bytes(image, text, file), overwrite);
    }

    /** The PNG file {@link #write} would write, as bytes (e.g. for an HTTP response). */
    public static byte[] toBytes(BufferedImage image, Map<String, String> text) {
        return bytes(image, text, null);
    }

    private static byte[] bytes(BufferedImage image, Map<String, String> text, Path file) {
        text.keySet().forEach(PngText::checkKeyword);
        return PngText.insert(encode(image, file), text);
    }

    /**
     * Writes every image of an [N,3,H,W] tensor to {@code files.get(i)}. All targets are checked before
     * anything is written, so a refused overwrite leaves no partial batch.
     */
    public static void write(INDArray images, PixelRange range, List<Path> files, Map<String, String> text,
                             boolean overwrite) {
        List<BufferedImage> list = Images.fromTensor(images, range);
        if (list.size() != files.size()) {
            throw new IllegalArgumentException("batch has " + list.size() + " images but " + files.size()
                    + " file names were given");
        }
        if (!overwrite) {
            for (Path f : files) {
                if (Files.exists(f)) throw new ImageException(f, "file exists; pass overwrite=true to replace it");
            }
        }
        for (int i = 0; i < list.size(); i++) write(list.get(i), files.get(i), text, overwrite);
    }

    /**
     * Writes a batch as {@code dir/prefix-00000.png}, {@code prefix-00001.png}, ... and returns the paths.
     */
    public static List<Path> writeBatch(INDArray images, PixelRange range, Path dir, String prefix,
                                        Map<String, String> text, boolean overwrite) {
        long n = images.rank() == 3 ? 1 : images.size(0);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) files.add(dir.resolve(String.format("%s-%05d.png", prefix, i)));
        write(images, range, files, text, overwrite);
        return files;
    }

    private static byte[] encode(BufferedImage image, Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // An in-memory stream explicitly: ImageIO's default for an OutputStream is a disk-cached stream that
        // registers a shutdown hook, which throws while the JVM shuts down (adi serve finishing a job after SIGTERM).
        try (javax.imageio.stream.MemoryCacheImageOutputStream ios = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", ios)) {
                throw new ImageException(file, "no PNG encoder accepts image type " + image.getType());
            }
        } catch (IOException e) {
            throw new ImageException(file, "PNG encoding failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
