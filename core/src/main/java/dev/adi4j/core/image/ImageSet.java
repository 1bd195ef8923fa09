package dev.adi4j.core.image;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of generated images as adi4j writes them everywhere (generate, training validation, benches): one PNG per
 * seed named {@code <stem>-<seed>.png} carrying the generation parameters in its {@code parameters} text chunk
 * (A1111 layout, so existing tools read them), and a near-square grid {@code grid-<firstSeed>.png} labelled
 * with the seeds.
 */
public final class ImageSet {
    private final List<Long> seeds;
    private final List<Path> files;
    private final Path grid;

    private ImageSet(Path dir, String stem, List<Long> seeds) {
        if (seeds.isEmpty()) throw new IllegalArgumentException("an image set needs at least one seed");
        this.seeds = List.copyOf(seeds);
        this.files = seeds.stream().map(s -> dir.resolve(stem + "-" + s + ".png")).toList();
        this.grid = dir.resolve("grid-" + seeds.get(0) + ".png");
    }

    /** The files for {@code seeds} in {@code dir}, e.g. stem "image" gives image-7.png, image-8.png, grid-7.png. */
    public static ImageSet of(Path dir, String stem, List<Long> seeds) {
        return new ImageSet(dir, stem, seeds);
    }

    /** seed, seed + 1, ..., seed + count - 1. */
    public static List<Long> consecutiveSeeds(long seed, int count) {
        List<Long> s = new ArrayList<>(count);
        for (int i = 0; i < count; i++) s.add(seed + i);
        return s;
    }

    public List<Path> files() { return files; }

    public Path grid() { return grid; }

    /** Fails before any work when a file of the set exists, listing them; {@code force} allows overwriting. */
    public void checkWritable(boolean force) {
        if (force) return;
        List<Path> existing = new ArrayList<>();
        for (Path f : files) if (Files.exists(f)) existing.add(f);
        if (Files.exists(grid)) existing.add(grid);
        if (!existing.isEmpty()) {
            throw new ImageException(null, "refusing to overwrite " + existing + " (use --force)");
        }
    }

    /**
     * Writes every image (atomically, each with {@code parameters} = A1111 text of prompt, negative prompt and
     * settings plus its seed, and {@code extraText}) and the grid.
     *
     * @param settings generation settings (e.g. Steps, Sampler, CFG scale, Seed, Size, Model); each image's own seed
     *                 replaces the value of "Seed", which keeps its place (appended when absent)
     */
    public void write(List<BufferedImage> images, String prompt, String negativePrompt, Map<String, String> settings,
                      Map<String, String> extraText, boolean force) {
        if (images.size() != files.size()) {
            throw new IllegalArgumentException(images.size() + " images for " + files.size() + " seeds");
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            PngWriter.write(images.get(i), files.get(i), text(prompt, negativePrompt, settings, seeds.get(i), extraText), force);
            labels.add("seed " + seeds.get(i));
        }
        int cols = (int) Math.ceil(Math.sqrt(images.size()));
        int rows = (images.size() + cols - 1) / cols;
        ImageGrid.save(images, labels, rows, cols, ImageGrid.LabelPosition.BELOW, grid,
                Map.of(PngWriter.PARAMETERS_KEY, GenerationParameters.format(prompt, negativePrompt,
                        withSeed(settings, seeds.get(0)))), force);
    }

    /**
     * The PNG files {@link #write} writes for {@code images} (image i with seed {@code seeds.get(i)}), as bytes, without
     * the grid: what a server answers instead of writing files.
     */
    public static List<byte[]> encode(List<BufferedImage> images, List<Long> seeds, String prompt, String negativePrompt,
                                      Map<String, String> settings, Map<String, String> extraText) {
        if (images.size() != seeds.size()) {
            throw new IllegalArgumentException(images.size() + " images for " + seeds.size() + " seeds");
        }
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            pngs.add(PngWriter.toBytes(images.get(i), text(prompt, negativePrompt, settings, seeds.get(i), extraText)));
        }
        return pngs;
    }

    /** The {@code parameters} text of the image with {@code seed} (A1111 layout), as written into its PNG. */
    public static String parameters(String prompt, String negativePrompt, Map<String, String> settings, long seed) {
        return GenerationParameters.format(prompt, negativePrompt, withSeed(settings, seed));
    }

    private static Map<String, String> text(String prompt, String negativePrompt, Map<String, String> settings, long seed,
                                            Map<String, String> extraText) {
        Map<String, String> text = new LinkedHashMap<>();
        text.put(PngWriter.PARAMETERS_KEY, parameters(prompt, negativePrompt, settings, seed));
        text.put("adi4j.seed", Long.toString(seed));
        text.putAll(extraText);
        return text;
    }

    private static Map<String, String> withSeed(Map<String, String> settings, long seed) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.put("Seed", Long.toString(seed));
        return s;
    }
}
