package dev.adi4j.mini.world;

import dev.adi4j.core.image.PngWriter;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled overview of the world for people: one row per subject, one column per action (the standing reference
 * first; actions held out from captions marked). Row i uses colour i, background i mod 6 and seed {@code seed + i}, so a row
 * differs only in the action.
 */
public final class ContactSheet {
    private static final int GAP = 2;

    private ContactSheet() {
    }

    /**
     * Builds the sheet from renders at {@code renderSize}, each shown {@code zoom} times larger (nearest neighbour, so
     * 32x32 renders can be judged pixel by pixel).
     */
    public static BufferedImage build(long seed, int renderSize, int zoom, CaptionPolicy policy) {
        if (zoom < 1) throw new IllegalArgumentException("zoom must be >= 1, got " + zoom);
        List<Action> actions = List.of(Action.values());
        Subject[] subjects = Subject.values();
        int cell = renderSize * zoom;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        BufferedImage sheet;
        FontMetrics fm;
        {
            Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            fm = probe.getFontMetrics(font);
            probe.dispose();
        }
        int header = 2 * fm.getHeight() + GAP;
        int rowLabel = fm.stringWidth("purple woman") + 2 * GAP;
        sheet = new BufferedImage(rowLabel + actions.size() * (cell + GAP) + GAP,
                header + subjects.length * (cell + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(font);
            g.setColor(Color.BLACK);
            for (int c = 0; c < actions.size(); c++) {
                Action a = actions.get(c);
                int x = rowLabel + c * (cell + GAP);
                g.drawString(a.label(), x, fm.getAscent());
                String note = a.isReference() ? "(reference)" : policy.isHeldOut(a) ? "(held out)" : "";
                g.drawString(note, x, fm.getHeight() + fm.getAscent());
            }
            for (int r = 0; r < subjects.length; r++) {
                BodyColor color = BodyColor.values()[r % BodyColor.values().length];
                Background bg = Background.values()[r % Background.values().length];
                int y = header + r * (cell + GAP);
                g.setColor(Color.BLACK);
                g.drawString(color.word() + " " + subjects[r].word(), GAP, y + cell / 2 + fm.getAscent() / 2);
                for (int c = 0; c < actions.size(); c++) {
                    Scene scene = Scene.of(seed + r, subjects[r], color, actions.get(c), bg);
                    g.drawImage(Renderer.render(scene, renderSize), rowLabel + c * (cell + GAP), y, cell, cell, null);
                }
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    /** Builds the sheet and writes it as a PNG (atomically, see {@link PngWriter}); returns the sheet. */
    public static BufferedImage write(Path file, long seed, int renderSize, int zoom, CaptionPolicy policy,
                                      boolean overwrite) {
        BufferedImage sheet = build(seed, renderSize, zoom, policy);
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Description", "adi4j mini world: subjects x actions, " + renderSize + "x" + renderSize
                + " renders shown x" + zoom + ", seed " + seed + ", held out from captions: "
                + policy.heldOut().stream().sorted().map(Action::phrase).toList());
        PngWriter.write(sheet, file, text, overwrite);
        return sheet;
    }
}
