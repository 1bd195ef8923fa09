package dev.adi4j.cli;

import dev.adi4j.testsupport.Shared;
import dev.adi4j.testsupport.Captured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldenCommandTest {
    static final Path FIXTURES = Shared.root().resolve("fixtures")
            .toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static Captured run(String... args) {
        return Captured.run(() -> Main.run(args));
    }

    /** An index in a folder of its own whose case paths point back into the shared fixtures (relative paths). */
    private Path index(String casesJson) throws Exception {
        Path idx = dir.resolve("sub/cases.json");
        Files.createDirectories(idx.getParent());
        String rel = idx.getParent().relativize(FIXTURES).toString();
        Files.writeString(idx, "{\"format\": \"adi4j-golden-cases/1\", \"cases\": [" + casesJson.replace("$F", rel) + "]}");
        return idx;
    }

    private static String unetCase(String name, double tol) {
        return "{\"name\": \"" + name + "\", \"kind\": \"unet_forward\", \"file\": \"$F/golden/unet_forward_odd.safetensors\","
                + " \"model\": \"$F/tiny-sd/unet\", \"tolerance\": " + tol + ", \"inputs\": [\"sample\", \"timestep\","
                + " \"encoder_hidden_states\"], \"outputs\": [\"output\"]}";
    }

    @Test
    void anyIndexInTheFormatRunsAndPasses() throws Exception {
        Captured r = run("golden", index(unetCase("odd", 1e-4)).toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("odd/output") && r.out().contains("PASS"), r.out());
        assertTrue(r.out().contains("1 passed, 0 failed"), r.out());
    }

    @Test
    void anOutputOutsideItsToleranceFailsWithExitOne() throws Exception {
        // float32 cannot reproduce the float reference to 1e-12: this case must fail
        Captured r = run("golden", index(unetCase("strict", 1e-12)).toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("strict/output") && r.out().contains("FAIL"), r.out());
    }

    @Test
    void unknownKindIsAFailNotACrash() throws Exception {
        Captured r = run("golden", index("{\"name\": \"x\", \"kind\": \"teleport\", \"file\": \"nothing\"}, " + unetCase("ok", 1e-4)).toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("unknown kind 'teleport'"), r.out());
        assertTrue(r.out().contains("1 passed, 1 failed"), r.out());
    }

    @Test
    void missingCaseFileIsAFailNamingTheFile() throws Exception {
        Captured r = run("golden", index(unetCase("gone", 1e-4).replace("unet_forward_odd", "no_such_file")).toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("no_such_file"), r.out());
    }

    @Test
    void malformedIndexIsOneClearError() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"something-else\", \"cases\": []}");
        Captured r = run("golden", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.json") && r.err().contains("format"), r.err());
    }
}
