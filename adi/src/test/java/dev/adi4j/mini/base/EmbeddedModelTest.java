package dev.adi4j.mini.base;

import dev.adi4j.core.model.ModelFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedModelTest {
    @AfterEach
    void clear() {
        System.clearProperty("adi4j.cache");
    }

    @Test
    void unpacksOnceIntoTheCacheAsAModelFolderWithACard(@TempDir Path cache) throws Exception {
        System.setProperty("adi4j.cache", cache.toString());
        assertTrue(EmbeddedModel.present());
        Path folder = EmbeddedModel.folder();
        assertEquals(cache, folder.getParent());
        assertTrue(folder.getFileName().toString().startsWith("mini-world-"), folder.toString());
        ModelFolder.open(folder).unet(); // configs parse
        assertTrue(Files.readString(folder.resolve("README.md")).contains("Steps:"), "the model card");
        for (String name : EmbeddedModel.manifestOf(folder)) {
            try (InputStream in = EmbeddedModel.class.getResourceAsStream(EmbeddedModel.RESOURCES + name)) {
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(folder.resolve(name)), name);
            }
        }
        long modified = Files.getLastModifiedTime(folder.resolve("model_index.json")).toMillis();
        assertEquals(folder, EmbeddedModel.folder(), "a second use finds the unpacked folder");
        assertEquals(modified, Files.getLastModifiedTime(folder.resolve("model_index.json")).toMillis());
        try (var s = Files.list(cache)) {
            assertEquals(1, s.count(), "no temporary folder is left behind");
        }
    }
}
