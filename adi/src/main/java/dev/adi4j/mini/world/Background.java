package dev.adi4j.mini.world;

import java.awt.Color;

/**
 * Backdrops, all light and unsaturated so every {@link BodyColor} stands out: four plain colours, a vertical
 * gradient and diagonal stripes. {@code top} and {@code bottom} are the two colours (equal for plain ones; for
 * stripes the two stripe colours).
 */
public enum Background {
    BLUE("blue", Kind.PLAIN, new Color(160, 195, 235), new Color(160, 195, 235)),
    GREEN("green", Kind.PLAIN, new Color(170, 220, 160), new Color(170, 220, 160)),
    GREY("grey", Kind.PLAIN, new Color(195, 195, 195), new Color(195, 195, 195)),
    PINK("pink", Kind.PLAIN, new Color(240, 195, 205), new Color(240, 195, 205)),
    GRADIENT("gradient", Kind.GRADIENT, new Color(110, 150, 220), new Color(210, 215, 190)),
    STRIPED("striped", Kind.STRIPES, new Color(210, 210, 210), new Color(170, 192, 180));

    /** How the two colours are laid out. */
    public enum Kind { PLAIN, GRADIENT, STRIPES }

    private final String word;
    private final Kind kind;
    private final Color top;
    private final Color bottom;

    Background(String word, Kind kind, Color top, Color bottom) {
        this.word = word;
        this.kind = kind;
        this.top = top;
        this.bottom = bottom;
    }

    /** The caption word, as in "on a striped background". */
    public String word() { return word; }

    public Kind kind() { return kind; }

    public Color top() { return top; }

    public Color bottom() { return bottom; }
}
