package dev.adi4j.core.model;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared read-only fixtures; a missing folder fails the test instead of skipping it. */
final class Fixtures {
    private Fixtures() {
    }

    static Path shared() {
        Path p = Path.of(System.getProperty("adi4j.shared", "../shared")).toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(p.resolve("fixtures")),
                "shared fixtures not found at " + p + " (set -Dadi4j.shared=/path/to/shared)");
        return p;
    }

    static Path tinySd() { return shared().resolve("fixtures/tiny-sd"); }

    static Path manifest(String name) { return shared().resolve("fixtures/manifests").resolve(name); }
}
