package dev.adi4j.mini.world;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/** Background and ground of a scene. */
final class Backdrops {
    /** Stripe period as a fraction of the image side: ~6 px at 32x32, coarse enough to survive downsampling. */
    private static final double STRIPE_PERIOD = 0.2;

    private Backdrops() {
    }

    static void paint(Graphics2D g, Background bg, Jitter j, int size) {
        Color top = shade(bg.top(), j.shade()), bottom = shade(bg.bottom(), j.shade());
        switch (bg.kind()) {
            case PLAIN -> {
                g.setColor(top);
                g.fillRect(0, 0, size, size);
            }
            case GRADIENT -> {
                // Row by row rather than GradientPaint: the colour of each row is then plain arithmetic.
                for (int y = 0; y < size; y++) {
                    g.setColor(mix(top, bottom, (y + 0.5) / size));
                    g.fillRect(0, y, size, 1);
                }
            }
            case STRIPES -> {
                g.setColor(top);
                g.fillRect(0, 0, size, size);
                g.setColor(bottom);
                double p = STRIPE_PERIOD * size;
                for (double c = (j.stripePhase() - 1) * p; c < 2 * size; c += p) {
                    Path2D.Double stripe = new Path2D.Double();
                    stripe.moveTo(c, 0);
                    stripe.lineTo(c + p / 2, 0);
                    stripe.lineTo(c + p / 2 - size, size);
                    stripe.lineTo(c - size, size);
                    stripe.closePath();
                    g.fill(stripe);
                }
            }
        }
        double groundY = j.groundY() * size;
        g.setColor(shade(bottom, -0.18));
        g.fill(new Rectangle2D.Double(0, groundY, size, size - groundY));
        g.setColor(shade(bottom, -0.45));
        double line = Math.max(1, size / 32.0);
        g.fill(new Rectangle2D.Double(0, groundY - line / 2, size, line));
    }

    static Color shade(Color c, double amount) {
        return new Color(channel(c.getRed(), amount), channel(c.getGreen(), amount), channel(c.getBlue(), amount));
    }

    private static int channel(int v, double amount) {
        return (int) Math.max(0, Math.min(255, Math.round(v * (1 + amount))));
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }
}
