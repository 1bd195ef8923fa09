package dev.adi4j.mini.world;

import org.junit.jupiter.api.Test;

import java.awt.geom.Area;
import java.awt.geom.Rectangle2D;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HolesTest {
    @Test
    void pinholesAreFilledAndGapsKept() {
        Area a = new Area(new Rectangle2D.Double(0, 0, 1, 1));
        a.subtract(new Area(new Rectangle2D.Double(0.1, 0.1, 0.05, 0.05)));
        a.subtract(new Area(new Rectangle2D.Double(0.5, 0.5, 0.3, 0.3)));
        a.add(new Area(new Rectangle2D.Double(2, 0, 0.5, 0.5)));
        Area filled = Holes.fillSmall(a, 0.01);
        assertTrue(filled.contains(0.12, 0.12), "the pinhole is filled");
        assertFalse(filled.contains(0.6, 0.6), "the gap stays");
        assertTrue(filled.contains(2.2, 0.2), "a second solid part stays");
        assertFalse(filled.contains(1.5, 0.5));
    }
}
