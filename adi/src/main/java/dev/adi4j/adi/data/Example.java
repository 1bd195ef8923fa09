package dev.adi4j.adi.data;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

/**
 * One training image of an action folder.
 *
 * @param file    the image file
 * @param caption what the image shows besides the action (normally the person), or null when it has none
 * @param image   the preprocessed, unflipped image [1,3,R,R] in [-1,1]; shared, do not modify
 */
public record Example(Path file, String caption, INDArray image) {
    public boolean hasCaption() {
        return caption != null;
    }
}
