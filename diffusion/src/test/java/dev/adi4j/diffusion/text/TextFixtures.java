package dev.adi4j.diffusion.text;

import dev.adi4j.testsupport.Shared;
import com.fasterxml.jackson.databind.JsonNode;
import dev.adi4j.core.config.Configs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The shared fixtures (system property adi4j.shared); a missing folder fails the test, it never skips. */
final class TextFixtures {
    private TextFixtures() {
    }

    static Path shared() {
        return Shared.root();
    }

    static Path fixtures() { return shared().resolve("fixtures"); }

    static Path tinyTextEncoder() { return fixtures().resolve("tiny-sd/text_encoder"); }

}
