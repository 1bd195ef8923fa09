package dev.adi4j.mini.world;

import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.List;

/** Filling small holes of an {@link Area}. */
final class Holes {
    private Holes() {
    }

    /**
     * The area with every hole smaller than {@code minArea} filled. Holes are the closed subpaths wound against the
     * largest one (an Area's outline runs one way around solid parts and the other way around holes); sizes come from
     * the segments' end points, which is enough to tell a pinhole from a gap.
     */
    static Area fillSmall(Area area, double minArea) {
        List<Path2D.Double> keep = new ArrayList<>();
        List<double[]> ends = new ArrayList<>();
        Path2D.Double current = null;
        double outerSign = 0, largest = 0;
        List<Double> signed = new ArrayList<>();
        double[] c = new double[6];
        for (PathIterator it = area.getPathIterator(null); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            switch (type) {
                case PathIterator.SEG_MOVETO -> {
                    current = new Path2D.Double(Path2D.WIND_NON_ZERO);
                    current.moveTo(c[0], c[1]);
                    ends.clear();
                    ends.add(new double[]{c[0], c[1]});
                }
                case PathIterator.SEG_LINETO -> { current.lineTo(c[0], c[1]); ends.add(new double[]{c[0], c[1]}); }
                case PathIterator.SEG_QUADTO -> {
                    current.quadTo(c[0], c[1], c[2], c[3]);
                    ends.add(new double[]{c[2], c[3]});
                }
                case PathIterator.SEG_CUBICTO -> {
                    current.curveTo(c[0], c[1], c[2], c[3], c[4], c[5]);
                    ends.add(new double[]{c[4], c[5]});
                }
                case PathIterator.SEG_CLOSE -> {
                    current.closePath();
                    double a = shoelace(ends);
                    keep.add(current);
                    signed.add(a);
                    if (Math.abs(a) > largest) {
                        largest = Math.abs(a);
                        outerSign = Math.signum(a);
                    }
                }
                default -> throw new IllegalStateException("segment type " + type);
            }
        }
        Path2D.Double filled = new Path2D.Double(Path2D.WIND_NON_ZERO);
        for (int i = 0; i < keep.size(); i++) {
            double a = signed.get(i);
            if (Math.signum(a) == outerSign || Math.abs(a) >= minArea) filled.append(keep.get(i), false);
        }
        return new Area(filled);
    }

    private static double shoelace(List<double[]> p) {
        double sum = 0;
        for (int i = 0; i < p.size(); i++) {
            double[] a = p.get(i), b = p.get((i + 1) % p.size());
            sum += a[0] * b[1] - b[0] * a[1];
        }
        return sum / 2;
    }
}
