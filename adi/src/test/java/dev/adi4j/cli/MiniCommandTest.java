package dev.adi4j.cli;

import dev.adi4j.testsupport.Captured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiniCommandTest {
    @Test
    void sheetWritesALabelledGridAndRefusesToOverwrite(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sheet.png");
        Captured r = GoldenCommandTest.run("mini", "sheet", "--out", png.toString(), "--size", "32");
        assertEquals(0, r.code(), r.all());
        BufferedImage img = ImageIO.read(png.toFile());
        // 8 subjects x 9 poses of 32x32 renders at zoom 2, plus labels
        assertTrue(img.getWidth() > 9 * 64 && img.getHeight() > 8 * 64, img.getWidth() + "x" + img.getHeight());
        long size = Files.size(png);
        Captured again = GoldenCommandTest.run("mini", "sheet", "--out", png.toString());
        assertEquals(1, again.code(), again.all());
        assertEquals(size, Files.size(png));
    }
}
