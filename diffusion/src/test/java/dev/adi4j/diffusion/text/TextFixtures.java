package dev.adi4j.diffusion.text;

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
        Path p = Path.of(System.getProperty("adi4j.shared", "../shared")).toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(p.resolve("fixtures")),
                "shared fixtures not found at " + p + " (set -Dadi4j.shared=<path to shared>)");
        return p;
    }

    static Path fixtures() { return shared().resolve("fixtures"); }

    static Path tinyTextEncoder() { return fixtures().resolve("tiny-sd/text_encoder"); }

    /** One entry of fixtures/cases.json, by name. */
    record Case(String name, Path file, Path model, List<String> outputs, double tolerance) {
    }

    static Case golden(String name) {
        Path index = fixtures().resolve("cases.json");
        try {
            JsonNode root = Configs.mapper().readTree(Files.readString(index));
            for (JsonNode c : root.get("cases")) {
                if (!name.equals(c.path("name").asText())) continue;
                List<String> outputs = new ArrayList<>();
                c.get("outputs").forEach(o -> outputs.add(o.asText()));
                return new Case(name, fixtures().resolve(c.get("file").asText()), fixtures().resolve(c.get("model").asText()),
                        outputs, c.get("tolerance").asDouble());
            }
        } catch (IOException e) {
            fail("cannot read " + index + ": " + e);
        }
        return fail("no case named " + name + " in " + index);
    }
}
