package dev.adi4j.harness.golden;

import dev.adi4j.testsupport.Shared;
import dev.adi4j.diffusion.unet.UNet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class UNetGoldenTest {
    static final Path SHARED = Shared.root();
    static final Path FIXTURES = SHARED.resolve("fixtures");
    static UNet unet;

    @BeforeAll
    static void load() {
        assertTrue(Files.isDirectory(FIXTURES), "shared fixtures missing at " + FIXTURES.toAbsolutePath());
        unet = UNet.load(FIXTURES.resolve("tiny-sd/unet"));
    }

    @AfterAll
    static void close() throws Exception {
        unet.close();
    }

    private static void assertAllPass(List<CaseResult> results) {
        results.forEach(r -> System.out.println(r.line()));
        assertTrue(results.stream().allMatch(CaseResult::pass), () -> "failed: " + results);
    }

    @Test
    void forwardBatchOfTwo() {
        assertAllPass(UNetGoldenCases.forward("unet_forward_b2", FIXTURES.resolve("golden/unet_forward_b2.safetensors"),
                unet, List.of("output"), 1e-4));
    }

    @Test
    void forwardNonSquareWithFractionalTimestep() {
        assertAllPass(UNetGoldenCases.forward("unet_forward_nonsquare",
                FIXTURES.resolve("golden/unet_forward_nonsquare.safetensors"), unet, List.of("output"), 1e-4));
    }

    @Test
    void forwardOddSizeResizesToSkipConnections() {
        assertAllPass(UNetGoldenCases.forward("unet_forward_odd", FIXTURES.resolve("golden/unet_forward_odd.safetensors"),
                unet, List.of("output"), 1e-4));
    }

    @Test
    void gradientsWithRespectToSampleAndContext() {
        assertAllPass(UNetGoldenCases.grad("unet_grad", FIXTURES.resolve("golden/unet_grad.safetensors"),
                unet.gradientCheckpointing(true), List.of("output", "loss", "grad_sample", "grad_encoder_hidden_states"), 1e-3));
    }

    @Test
    void gradientsWithoutCheckpointing() {
        try {
            assertAllPass(UNetGoldenCases.grad("unet_grad", FIXTURES.resolve("golden/unet_grad.safetensors"),
                    unet.gradientCheckpointing(false), List.of("output", "loss", "grad_sample", "grad_encoder_hidden_states"), 1e-3));
        } finally {
            unet.gradientCheckpointing(true);
        }
    }
}
