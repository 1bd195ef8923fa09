package dev.adi4j.adi.train;

import dev.adi4j.adi.data.ActionDataset;
import dev.adi4j.core.image.ImageException;
import dev.adi4j.core.image.Preprocess;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code --action-different-dir}: for each anchor {@code name.ext} of the action folder, an image with the same base
 * name (any of .png/.jpg/.jpeg) showing the same person doing something else; preprocessed like the anchors.
 */
public final class SuppliedActionDifferent implements ActionDifferentSource {
    private final Path dir;
    private final ActionDataset data;

    public SuppliedActionDifferent(Path dir, ActionDataset data) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--action-different-dir " + dir + ": folder not found");
        }
        this.dir = dir;
        this.data = data;
        for (int i = 0; i < data.size(); i++) file(i); // every anchor's image must be there before training starts
    }

    @Override
    public INDArray image(int anchorIndex) {
        Path f = file(anchorIndex);
        try {
            return Preprocess.load(f, data.options().resolution(), Preprocess.Convention.TEXT_TO_IMAGE_RESIZE_THEN_CROP);
        } catch (ImageException e) {
            throw new IllegalArgumentException("--action-different-dir: " + e.getMessage(), e);
        }
    }

    private Path file(int anchorIndex) {
        String anchor = data.example(anchorIndex).file().getFileName().toString();
        String base = anchor.contains(".") ? anchor.substring(0, anchor.lastIndexOf('.')) : anchor;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> matches = s.filter(p -> {
                String n = p.getFileName().toString();
                String lower = n.toLowerCase(Locale.ROOT);
                return n.startsWith(base + ".") && (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg"));
            }).sorted().toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("--action-different-dir " + dir + ": no image named " + base
                        + ".png/.jpg for the anchor " + anchor);
            }
            return matches.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
