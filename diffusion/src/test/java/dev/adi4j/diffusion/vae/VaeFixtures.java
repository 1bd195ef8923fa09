package dev.adi4j.diffusion.vae;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Locates the shared fixtures; fails (never skips) when they are missing. */
final class VaeFixtures {
    private VaeFixtures() {
    }

    static Path shared() {
        Path p = Path.of(System.getProperty("adi4j.shared", "../shared"));
        if (!Files.isDirectory(p.resolve("fixtures"))) {
            fail("shared fixtures not found at " + p.toAbsolutePath() + " (set -Dadi4j.shared=/path/to/shared)");
        }
        return p;
    }

    static Path fixtures() { return shared().resolve("fixtures"); }

    static Path tinyVae() { return fixtures().resolve("tiny-sd/vae"); }

    static Path golden(String name) { return fixtures().resolve("golden").resolve(name); }
}
