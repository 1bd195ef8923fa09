package dev.adi4j.mini.world;

import java.util.Arrays;

/** A square foreground mask, row-major: which pixels the figure covers (at least half). */
public record Mask(int size, boolean[] pixels) {
    public Mask {
        if (pixels.length != size * size) throw new IllegalArgumentException(pixels.length + " pixels for " + size);
        pixels = pixels.clone();
    }

    @Override
    public boolean[] pixels() {
        return pixels.clone();
    }

    public boolean get(int x, int y) {
        return pixels[y * size + x];
    }

    /** Foreground pixel count. */
    public int count() {
        int n = 0;
        for (boolean p : pixels) if (p) n++;
        return n;
    }

    /** Intersection over union with a mask of the same size (1 when both are empty). */
    public double iou(Mask other) {
        if (other.size != size) throw new IllegalArgumentException("sizes differ: " + size + " and " + other.size);
        int and = 0, or = 0;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] && other.pixels[i]) and++;
            if (pixels[i] || other.pixels[i]) or++;
        }
        return or == 0 ? 1 : (double) and / or;
    }

    /** Whether any foreground pixel lies on the outermost rows or columns (the figure may be cut off). */
    public boolean touchesBorder() {
        for (int i = 0; i < size; i++) {
            if (get(i, 0) || get(i, size - 1) || get(0, i) || get(size - 1, i)) return true;
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.size == size && Arrays.equals(m.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * size + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "Mask[" + size + "x" + size + ", " + count() + " on]";
    }
}
