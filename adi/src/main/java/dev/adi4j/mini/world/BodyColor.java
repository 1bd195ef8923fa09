package dev.adi4j.mini.world;

import java.awt.Color;

/**
 * The palette of body colours: saturated or extreme so that each stays distinct from the others at 32x32 and from
 * every (light, low-saturation) {@link Background}.
 */
public enum BodyColor {
    RED("red", 215, 35, 35),
    GREEN("green", 30, 150, 45),
    BLUE("blue", 35, 75, 215),
    YELLOW("yellow", 240, 200, 20),
    ORANGE("orange", 245, 125, 20),
    PURPLE("purple", 135, 50, 185),
    WHITE("white", 250, 250, 250),
    BLACK("black", 25, 25, 25);

    private final String word;
    private final Color color;

    BodyColor(String word, int r, int g, int b) {
        this.word = word;
        this.color = new Color(r, g, b);
    }

    /** The caption word. */
    public String word() { return word; }

    public Color color() { return color; }

    /** The outline colour: darker than the body so that a white figure still has an edge on a light background. */
    public Color outline() {
        return new Color((int) (color.getRed() * 0.5), (int) (color.getGreen() * 0.5), (int) (color.getBlue() * 0.5));
    }
}
