package dev.adi4j.mini.world;

import java.awt.BasicStroke;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;

/**
 * A subject's silhouette in a pose, as one {@link Area} in the upright world frame (body units, y up, origin at the
 * pelvis). One area rather than separately drawn parts so that the outline follows the silhouette only: at 32x32,
 * inner outlines between overlapping parts would be noise.
 */
final class Figures {
    /**
     * Smallest hole kept, in square body units (~3 px at 32x32). Unions of curved shapes leave slivers where parts
     * meet, and joints can enclose pinholes, which the outline would draw as dots; real gaps (between spread legs,
     * between an arm and the torso) are far larger.
     */
    static final double MIN_HOLE = 0.01;
    /** Mitres square corners (ratio 1.41) but bevels sharper bends, whose mitres would be long spikes. */
    private static final float MITER_LIMIT = 1.5f;

    private Figures() {
    }

    static Area silhouette(Subject subject, Pose pose) {
        Anatomy a = subject.anatomy();
        Skeleton s = new Skeleton(a, pose);
        Area body = new Area();
        body.add(new Area(torso(subject, a)));
        body.add(stroke(new Line2D.Double(s.neck.x, s.neck.y - 0.02, s.head.x, s.head.y), a.armWidth() * 0.8, false));
        body.add(new Area(head(subject, a, s.head)));
        boolean square = subject == Subject.ROBOT;
        if (subject == Subject.BIRD) {
            body.add(wing(s.leftArm));
            body.add(wing(s.rightArm));
        } else {
            body.add(stroke(polyline(s.leftArm), a.armWidth(), square));
            body.add(stroke(polyline(s.rightArm), a.armWidth(), square));
        }
        body.add(stroke(polyline(s.leftLeg), a.legWidth(), square));
        body.add(stroke(polyline(s.rightLeg), a.legWidth(), square));
        features(subject, a, s.head, body);
        body.transform(s.frame());
        return Holes.fillSmall(body, MIN_HOLE);
    }

    private static Shape torso(Subject subject, Anatomy a) {
        double w = a.torsoWidth();
        return switch (subject) {
            case ROBOT -> new Rectangle2D.Double(-w / 2, -0.03, w, a.torso() + 0.04);
            case MAN -> polygon(-w * 0.4, -0.03, w * 0.4, -0.03, w * 0.6, a.torso() - 0.01, w * 0.45,
                    a.torso() + 0.02, -w * 0.45, a.torso() + 0.02, -w * 0.6, a.torso() - 0.01);
            case BEAR, BIRD -> new Ellipse2D.Double(-w / 2, -0.06, w, a.torso() + 0.10);
            default -> new RoundRectangle2D.Double(-w / 2, -0.03, w, a.torso() + 0.04, w * 0.5, w * 0.5);
        };
    }

    private static Shape head(Subject subject, Anatomy a, Point2D.Double c) {
        double r = a.headRadius();
        return switch (subject) {
            case ROBOT -> new Rectangle2D.Double(c.x - r, c.y - r, 2 * r, 2 * r);
            case CAT -> new Ellipse2D.Double(c.x - r * 1.1, c.y - r * 0.95, 2.2 * r, 1.9 * r);
            default -> circle(c.x, c.y, r);
        };
    }

    /** The shapes that tell subjects apart beyond proportions; profile features face screen-right (+x). */
    private static void features(Subject subject, Anatomy a, Point2D.Double c, Area body) {
        double r = a.headRadius();
        switch (subject) {
            case WOMAN -> {
                body.add(new Area(new RoundRectangle2D.Double(c.x - r - 0.03, c.y - r - 0.10, 2 * r + 0.06,
                        2 * r + 0.115, 0.1, 0.1)));
                body.add(new Area(polygon(-a.torsoWidth() / 2, 0.10, a.torsoWidth() / 2, 0.10, 0.21, -0.19,
                        -0.21, -0.19)));
            }
            case ROBOT -> {
                body.add(stroke(new Line2D.Double(c.x, c.y + r, c.x, c.y + r + 0.10), 0.04, true));
                body.add(new Area(circle(c.x, c.y + r + 0.11, 0.045)));
            }
            case CAT -> {
                for (int side = -1; side <= 1; side += 2) {
                    body.add(new Area(polygon(
                            c.x + side * r * sin(10), c.y + r * 0.95 * cos(10),
                            c.x + side * r * 1.1 * sin(65), c.y + r * 0.95 * cos(65),
                            c.x + side * (r + 0.10) * sin(38), c.y + (r + 0.10) * cos(38))));
                }
                Path2D.Double tail = new Path2D.Double();
                tail.moveTo(-0.03, 0.03);
                tail.curveTo(-0.24, -0.06, -0.36, 0.08, -0.31, 0.26);
                body.add(stroke(tail, 0.07, false));
            }
            case DOG -> {
                for (int side = -1; side <= 1; side += 2) {
                    double x = c.x + side * (r + 0.015), y = c.y - 0.04;
                    Area ear = new Area(new Ellipse2D.Double(x - 0.04, y - 0.08, 0.08, 0.16));
                    ear.transform(AffineTransform.getRotateInstance(StrictMath.toRadians(side * 45), x, y + 0.05));
                    body.add(ear);
                }
                body.add(new Area(new Ellipse2D.Double(c.x + r * 0.5, c.y - 0.085, 0.19, 0.095)));
                body.add(stroke(new Line2D.Double(-0.04, 0.03, -0.21, 0.19), 0.075, false));
            }
            case BEAR -> {
                for (int side = -1; side <= 1; side += 2) {
                    body.add(new Area(circle(c.x + side * r * 0.8, c.y + r * 0.8, 0.055)));
                }
            }
            case BIRD -> {
                body.add(new Area(polygon(c.x + r * 0.7, c.y + 0.04, c.x + r * 0.7, c.y - 0.035,
                        c.x + r + 0.11, c.y - 0.01)));
                body.add(new Area(polygon(c.x - 0.03, c.y + r - 0.01, c.x + 0.03, c.y + r - 0.01,
                        c.x - 0.05, c.y + r + 0.07)));
                body.add(new Area(polygon(-0.06, 0.08, -0.06, -0.03, -0.26, -0.17, -0.19, -0.02)));
            }
            default -> {
            }
        }
    }

    /** A wing in place of an arm: wide at the shoulder, tapering to the tip. */
    private static Area wing(Point2D.Double[] arm) {
        double[] half = {0.085, 0.065, 0.02};
        Point2D.Double[] normals = new Point2D.Double[3];
        for (int i = 0; i < 3; i++) {
            Point2D.Double from = arm[Math.max(0, i - 1)], to = arm[Math.min(2, i + 1)];
            double dx = to.x - from.x, dy = to.y - from.y, len = Math.hypot(dx, dy);
            normals[i] = len == 0 ? new Point2D.Double(0, 0) : new Point2D.Double(-dy / len, dx / len);
        }
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < 3; i++) {
            double x = arm[i].x + normals[i].x * half[i], y = arm[i].y + normals[i].y * half[i];
            if (i == 0) p.moveTo(x, y); else p.lineTo(x, y);
        }
        for (int i = 2; i >= 0; i--) p.lineTo(arm[i].x - normals[i].x * half[i], arm[i].y - normals[i].y * half[i]);
        p.closePath();
        Area wing = new Area(p);
        wing.add(new Area(circle(arm[0].x, arm[0].y, half[0])));
        wing.add(new Area(circle(arm[1].x, arm[1].y, half[1])));
        return wing;
    }

    private static Path2D.Double polyline(Point2D.Double[] points) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(points[0].x, points[0].y);
        for (int i = 1; i < points.length; i++) p.lineTo(points[i].x, points[i].y);
        return p;
    }

    /** Round joints for living things; square ends and mitred joints for the robot. */
    private static Area stroke(Shape path, double width, boolean square) {
        BasicStroke stroke = square
                ? new BasicStroke((float) width, BasicStroke.CAP_SQUARE, BasicStroke.JOIN_MITER, MITER_LIMIT)
                : new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        return new Area(stroke.createStrokedShape(path));
    }

    private static Ellipse2D.Double circle(double x, double y, double r) {
        return new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
    }

    private static Path2D.Double polygon(double... xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) p.lineTo(xy[i], xy[i + 1]);
        p.closePath();
        return p;
    }

    private static double sin(double degrees) {
        return StrictMath.sin(StrictMath.toRadians(degrees));
    }

    private static double cos(double degrees) {
        return StrictMath.cos(StrictMath.toRadians(degrees));
    }
}
