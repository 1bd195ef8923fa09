package dev.adi4j.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The read-only shared folder beside the checkout (system property {@code adi4j.shared}, set by Surefire; default
 * {@code ../shared}). A missing folder fails the test that asks for it: golden tests never skip silently.
 */
public final class Shared {
    private Shared() {
    }

    /** The shared folder itself. */
    public static Path root() {
        Path p = Path.of(System.getProperty("adi4j.shared", "../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("fixtures"))) {
            throw new IllegalStateException("shared fixtures not found at " + p + " (set -Dadi4j.shared=/path/to/shared)");
        }
        return p;
    }

    /** {@code shared/fixtures}. */
    public static Path fixtures() { return root().resolve("fixtures"); }

    /** A path inside {@code shared/fixtures}. */
    public static Path fixture(String relative) { return fixtures().resolve(relative); }

    /** A golden file, e.g. {@code golden("unet_grad.safetensors")}. */
    public static Path golden(String name) { return fixtures().resolve("golden").resolve(name); }

    /** The tiny SD 2.1 model folder (diffusers layout). */
    public static Path tinySd() { return fixtures().resolve("tiny-sd"); }

    /** A full-size manifest, e.g. {@code manifest("sd21-unet-diffusers.tsv")}. */
    public static Path manifest(String name) { return fixtures().resolve("manifests").resolve(name); }

    /** The real CLIP BPE vocabulary folder. */
    public static Path vocab() { return root().resolve("vocab"); }
}
