package dev.adi4j.core.model;

import dev.adi4j.testsupport.Shared;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared read-only fixtures; a missing folder fails the test instead of skipping it. */
final class Fixtures {
    private Fixtures() {
    }

    static Path shared() {
        return Shared.root();
    }

    static Path tinySd() { return shared().resolve("fixtures/tiny-sd"); }

    static Path manifest(String name) { return shared().resolve("fixtures/manifests").resolve(name); }
}
