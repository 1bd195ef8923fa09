package dev.adi4j.core.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSetTest {
    @TempDir
    Path dir;

    private static BufferedImage solid(int rgb) {
        BufferedImage b = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) b.setRGB(x, y, rgb);
        return b;
    }

    @Test
    void namesFilesBySeedAndWritesParametersWithEachSeed() {
        ImageSet set = ImageSet.of(dir, "image", ImageSet.consecutiveSeeds(7, 3));
        assertEquals(List.of(dir.resolve("image-7.png"), dir.resolve("image-8.png"), dir.resolve("image-9.png")), set.files());
        assertEquals(dir.resolve("grid-7.png"), set.grid());
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("Steps", "2");
        settings.put("Seed", "7");
        settings.put("Size", "8x8");
        set.write(List.of(solid(0xff0000), solid(0x00ff00), solid(0x0000ff)), "a panda", "blurry", settings,
                Map.of("adi4j.model", "m"), false);
        Map<String, String> text = PngText.read(dir.resolve("image-8.png"));
        assertEquals("a panda\nNegative prompt: blurry\nSteps: 2, Seed: 8, Size: 8x8", text.get(PngWriter.PARAMETERS_KEY));
        assertEquals("8", text.get("adi4j.seed"));
        assertEquals("m", text.get("adi4j.model"));
        assertTrue(Files.isRegularFile(set.grid()));
    }

    @Test
    void refusesToOverwriteUnlessForced() throws Exception {
        ImageSet set = ImageSet.of(dir, "image", List.of(1L));
        Files.writeString(set.files().get(0), "x");
        ImageException e = assertThrows(ImageException.class, () -> set.checkWritable(false));
        assertTrue(e.getMessage().startsWith("refusing to overwrite [" + set.files().get(0)), e.getMessage());
        set.checkWritable(true);
    }
}
