package dev.adi4j.diffusion.vae;

import dev.adi4j.testsupport.Shared;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Locates the shared fixtures; fails (never skips) when they are missing. */
final class VaeFixtures {
    private VaeFixtures() {
    }

    static Path shared() {
        return Shared.root();
    }

    static Path fixtures() { return shared().resolve("fixtures"); }

    static Path tinyVae() { return fixtures().resolve("tiny-sd/vae"); }

    static Path golden(String name) { return fixtures().resolve("golden").resolve(name); }
}
