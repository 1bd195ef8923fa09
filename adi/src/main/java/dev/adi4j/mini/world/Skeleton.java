package dev.adi4j.mini.world;

import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;

/**
 * Joint positions of one subject in one pose, in the torso's frame: origin at the pelvis, y up along the torso, body
 * units. {@link #frame()} maps that frame to the upright world (y up).
 */
final class Skeleton {
    final Point2D.Double neck;
    final Point2D.Double head;
    final Point2D.Double[] leftArm;
    final Point2D.Double[] rightArm;
    final Point2D.Double[] leftLeg;
    final Point2D.Double[] rightLeg;
    private final double torsoAngle;

    Skeleton(Anatomy a, Pose pose) {
        neck = new Point2D.Double(0, a.torso());
        head = new Point2D.Double(0, a.torso() + a.neck() + a.headRadius());
        double shoulderY = a.torso() - a.shoulderDrop();
        leftArm = chain(-a.shoulderHalf(), shoulderY, pose.leftArm(), a.upperArm(), a.foreArm());
        rightArm = chain(a.shoulderHalf(), shoulderY, pose.rightArm(), a.upperArm(), a.foreArm());
        leftLeg = chain(-a.hipHalf(), 0, pose.leftLeg(), a.thigh(), a.shin());
        rightLeg = chain(a.hipHalf(), 0, pose.rightLeg(), a.thigh(), a.shin());
        torsoAngle = pose.torso();
    }

    /** Root, middle joint and end of a limb. */
    private static Point2D.Double[] chain(double x, double y, Limb limb, double upper, double lower) {
        Point2D.Double root = new Point2D.Double(x, y);
        Point2D.Double mid = step(root, limb.upper(), upper);
        Point2D.Double end = step(mid, limb.upper() + limb.lower(), lower);
        return new Point2D.Double[]{root, mid, end};
    }

    /** 0 degrees points to the feet, 90 to screen-right. StrictMath: the same bits on every JVM, JIT or not. */
    private static Point2D.Double step(Point2D.Double from, double degrees, double length) {
        double r = StrictMath.toRadians(degrees);
        return new Point2D.Double(from.x + length * StrictMath.sin(r), from.y - length * StrictMath.cos(r));
    }

    /**
     * Torso frame to world. Past +-90 degrees the figure is upside down; it is flipped vertically (then leaned by the
     * rest of the angle) rather than turned by 180 degrees, so a handstanding figure keeps its left and right and its
     * profile features (beak, snout) still face screen-right.
     */
    AffineTransform frame() {
        boolean inverted = Math.abs(torsoAngle) > 90;
        double lean = inverted ? torsoAngle - Math.copySign(180, torsoAngle) : torsoAngle;
        double r = StrictMath.toRadians(lean);
        double c = StrictMath.cos(r), s = StrictMath.sin(r);
        AffineTransform t = new AffineTransform(c, -s, s, c, 0, 0);
        if (inverted) t.concatenate(AffineTransform.getScaleInstance(1, -1));
        return t;
    }
}
