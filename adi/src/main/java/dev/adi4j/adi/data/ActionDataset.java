package dev.adi4j.adi.data;

import dev.adi4j.core.io.RegularFiles;
import dev.adi4j.core.image.ImageException;
import dev.adi4j.core.image.Preprocess;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The training images of one action: a folder of .png/.jpg/.jpeg files (extension case ignored; names starting
 * with "." skipped, e.g. macOS's "._x.png" companions), in file-name order, with optional captions from
 * {@code captions.txt} or {@code metadata.jsonl}. All images are decoded and preprocessed at load, so a bad file
 * stops the run before any training step.
 */
public final class ActionDataset {
    private final Path dir;
    private final DataOptions options;
    private final List<Example> examples;

    private ActionDataset(Path dir, DataOptions options, List<Example> examples) {
        this.dir = dir;
        this.options = options;
        this.examples = List.copyOf(examples);
    }

    /** Loads and checks a folder; every problem is a one-line {@link TrainingDataException}. */
    public static ActionDataset load(Path dir, DataOptions opts) {
        if (!Files.exists(dir)) {
            throw new TrainingDataException(dir, "action folder not found (expected a folder of .png/.jpg/.jpeg "
                    + "images of one action)");
        }
        if (!Files.isDirectory(dir)) {
            throw new TrainingDataException(dir, "not a folder (expected a folder of .png/.jpg/.jpeg images of one "
                    + "action)");
        }
        List<Path> files = imageFiles(dir);
        if (files.isEmpty()) {
            throw new TrainingDataException(dir, "no images in the action folder (expected at least "
                    + DataOptions.MIN_IMAGES + " .png/.jpg/.jpeg files)");
        }
        if (files.size() < DataOptions.MIN_IMAGES) {
            throw new TrainingDataException(dir, "only 1 image (" + files.get(0).getFileName() + "); ADI needs at least "
                    + DataOptions.MIN_IMAGES + " images of the action, each anchor is paired with another of them");
        }
        Set<String> names = files.stream().map(f -> f.getFileName().toString())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, String> captions = Captions.read(dir, names);
        if (opts.requireCaptions() && captions.isEmpty()) {
            throw new TrainingDataException(dir, "no captions (captions are required: add " + Captions.TXT
                    + " with 'file<TAB>caption' lines or " + Captions.JSONL + ")");
        }
        List<Example> out = new ArrayList<>(files.size());
        for (Path f : files) {
            String caption = captions.get(f.getFileName().toString());
            if (caption == null && opts.requireCaptions()) {
                throw new TrainingDataException(f, "no caption (captions are required; add a line for "
                        + f.getFileName() + " to the folder's captions file)");
            }
            out.add(new Example(f, caption, preprocess(f, opts.resolution())));
        }
        return new ActionDataset(dir, opts, out);
    }

    private static List<Path> imageFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            // Sorted by the name string, not the Path, so the order is the same on every file system.
            // an image-named FIFO or device is refused, not skipped: the user meant it as an exemplar
            return s.filter(ActionDataset::isImageName).filter(p -> !Files.isDirectory(p))
                    .map(p -> RegularFiles.require(p, "training image", TrainingDataException::new))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new TrainingDataException(dir, "cannot list the action folder: " + e, e);
        }
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString();
        String lower = n.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg"));
    }

    private static INDArray preprocess(Path f, int resolution) {
        try {
            return Preprocess.load(f, resolution, Preprocess.Convention.TEXT_TO_IMAGE_RESIZE_THEN_CROP);
        } catch (ImageException e) {
            // ImageException messages already start with the file name; keep just the problem after it.
            String msg = e.getMessage();
            String prefix = f + ": ";
            String problem = msg != null && msg.startsWith(prefix) ? msg.substring(prefix.length()) : String.valueOf(msg);
            throw new TrainingDataException(f, "unreadable image (" + problem + ")", e);
        }
    }

    public Path dir() {
        return dir;
    }

    public DataOptions options() {
        return options;
    }

    public int size() {
        return examples.size();
    }

    public List<Example> examples() {
        return examples;
    }

    public Example example(int index) {
        return examples.get(index);
    }

    /** The image of an example, mirrored left-right if {@code flipped}; a new [1,3,R,R] array either way. */
    public INDArray image(int index, boolean flipped) {
        INDArray img = examples.get(index).image();
        return flipped ? flipHorizontally(img) : img.dup();
    }

    /**
     * Whether draw {@code step} of example {@code index} is mirrored: never unless {@link DataOptions#randomFlip()},
     * then a fair coin that depends only on (seed, step, index), so a resumed run flips the same draws.
     */
    public boolean flip(long step, int index) {
        return options.randomFlip() && Draws.of(options.seed(), step, index, "flip").nextBoolean();
    }

    /** {@code image(index, flip(step, index))}. */
    public INDArray draw(long step, int index) {
        return image(index, flip(step, index));
    }

    /** Mirrors the last (width) axis of an [N,C,H,W] array. */
    public static INDArray flipHorizontally(INDArray img) {
        long[] shape = img.shape();
        int w = (int) shape[3];
        float[] src = img.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] dst = new float[src.length];
        for (int row = 0; row < src.length / w; row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) dst[base + x] = src[base + w - 1 - x];
        }
        return Nd4j.create(dst, shape, DataType.FLOAT);
    }
}
