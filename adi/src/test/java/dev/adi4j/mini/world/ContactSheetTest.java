package dev.adi4j.mini.world;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContactSheetTest {
    @Test
    void writesALabelledSheetOfEverySubjectAndAction(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sheet.png");
        BufferedImage sheet = ContactSheet.write(file, 1, 64, 1, CaptionPolicy.DEFAULT, false);
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(sheet.getWidth(), read.getWidth());
        assertEquals(sheet.getHeight(), read.getHeight());
        assertTrue(sheet.getWidth() > Action.values().length * 64, "a column per action");
        assertTrue(sheet.getHeight() > Subject.values().length * 64, "a row per subject");
        assertTrue(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("held out from captions"));
        BufferedImage zoomed = ContactSheet.build(1, 32, 2, CaptionPolicy.DEFAULT);
        assertEquals(sheet.getWidth(), zoomed.getWidth(), "32x32 renders at zoom 2 fill 64-pixel cells");
    }
}
