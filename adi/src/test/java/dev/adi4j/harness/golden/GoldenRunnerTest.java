package dev.adi4j.harness.golden;

import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cases checked against their kind's {@link KindSpec} before running: a bad case is one FAIL line, the run goes on. */
class GoldenRunnerTest {
    static final String F = Shared.fixtures().toAbsolutePath().normalize().toString().replace("\\", "/");
    /** A cheap valid case (no model): runs after the bad one to show the run goes on. */
    static final String TRAIN_OK = "{\"name\": \"ok\", \"kind\": \"scheduler_train\", \"file\": \"" + F
            + "/golden/sched_ddpm_train.safetensors\", \"scheduler\": \"ddpm_train\", \"configs\": \"" + F
            + "/golden/schedulers.json\", \"tolerance\": 1e-5, \"inputs\": [\"original_samples\", \"noise\","
            + " \"timesteps\"], \"outputs\": [\"noisy_samples\", \"velocity\"]}";
    static final String UNET = "{\"name\": \"u\", \"kind\": \"unet_forward\", \"file\": \"" + F
            + "/golden/unet_forward_odd.safetensors\", \"model\": \"" + F + "/tiny-sd/unet\", \"tolerance\": 1e-4,"
            + " \"inputs\": [\"sample\", \"timestep\", \"encoder_hidden_states\"], \"outputs\": [\"output\"]}";

    @TempDir
    Path dir;

    private List<CaseResult> run(String... cases) throws Exception {
        Path idx = dir.resolve("cases.json");
        Files.writeString(idx, "{\"format\": \"adi4j-golden-cases/1\", \"cases\": [" + String.join(", ", cases) + "]}");
        List<CaseResult> seen = new ArrayList<>();
        List<CaseResult> all = GoldenRunner.standard().run(idx, seen::add);
        assertEquals(all, seen);
        return all;
    }

    /** The bad case gives exactly one FAIL whose message holds {@code expected}; the valid case after it passes. */
    private void assertOneFail(String badCase, String badName, String... expected) throws Exception {
        List<CaseResult> results = run(badCase, TRAIN_OK);
        List<CaseResult> bad = results.stream().filter(r -> r.caseName().equals(badName)).toList();
        assertEquals(1, bad.size(), results.toString());
        assertFalse(bad.get(0).pass());
        for (String e : expected) assertTrue(bad.get(0).line().contains(e), bad.get(0).line());
        List<CaseResult> ok = results.stream().filter(r -> r.caseName().equals("ok")).toList();
        assertFalse(ok.isEmpty(), results.toString());
        assertTrue(ok.stream().allMatch(CaseResult::pass), ok.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cases.json", "adi_cases.json"})
    void everySharedCaseMeetsItsKindSpec(String index) {
        Path file = Shared.fixture(index);
        GoldenRunner runner = GoldenRunner.standard();
        for (GoldenCase c : GoldenIndex.read(file).cases()) {
            assertEquals(List.of(), runner.spec(c.kind()).problems(c, file.getParent()), c.name());
        }
    }

    @Test
    void missingModelNamesTheFieldAndTheKindsNeeds() throws Exception {
        assertOneFail(UNET.replace("\"model\": \"" + F + "/tiny-sd/unet\", ", ""), "u",
                "field 'model' is missing", "unet_forward needs model, outputs, tolerance");
    }

    @Test
    void missingOutputsAndToleranceAreBothNamed() throws Exception {
        assertOneFail(UNET.replace("\"tolerance\": 1e-4,", "").replace("\"outputs\": [\"output\"]", "\"outputs\": []"),
                "u", "field 'outputs' is missing", "field 'tolerance' is missing");
    }

    @Test
    void schedulerCaseWithoutConfigs() throws Exception {
        assertOneFail(TRAIN_OK.replace("\"ok\"", "\"s\"").replace("\"configs\": \"" + F + "/golden/schedulers.json\", ", ""),
                "s", "field 'configs' is missing");
    }

    @Test
    void adiUpdateWithoutParams() throws Exception {
        String c = "{\"name\": \"a\", \"kind\": \"adi_update\", \"file\": \"" + F + "/golden/adi_update_token.safetensors\","
                + " \"tolerance\": 1e-5, \"outputs\": [\"step0.v\"]}";
        assertOneFail(c, "a", "field 'params' is missing");
    }

    @Test
    void unknownInputAndOutputNamesAreRefusedUpFront() throws Exception {
        assertOneFail(UNET.replace("\"timestep\",", "\"timestepz\",").replace("[\"output\"]", "[\"output\", \"extra\"]"),
                "u", "field 'inputs': no tensor 'timestepz'", "field 'outputs': no tensor 'extra'",
                "unet_forward_odd.safetensors");
    }

    @Test
    void modelFolderThatDoesNotExist() throws Exception {
        assertOneFail(UNET.replace("/tiny-sd/unet", "/tiny-sd/unetz"), "u", "field 'model': no folder", "unetz");
    }

    @Test
    void negativeTolerance() throws Exception {
        assertOneFail(UNET.replace("1e-4", "-1"), "u", "field 'tolerance': expected a finite number >= 0, got -1.0");
    }

    @Test
    void tokenizerOutputsAreCheckedAgainstTheKnownIdLists() throws Exception {
        String c = "{\"name\": \"t\", \"kind\": \"tokenizer\", \"file\": \"" + F + "/tokenizer/tokenizer_golden.json\","
                + " \"model\": \"" + F + "/tiny-sd/tokenizer\", \"outputs\": [\"hf_ids\", \"bpe_ids\"]}";
        assertOneFail(c, "t", "field 'outputs': 'bpe_ids' is not an output of kind tokenizer (known: hf_ids, openclip_ids)");
    }

    @Test
    void caseWithoutNameKindOrFileIsNamedByItsPosition() throws Exception {
        assertOneFail("{\"kind\": \"unet_forward\"}", "cases[0]", "fields 'name', 'file' are missing");
    }

    @Test
    void caseFileThatIsAFolder() throws Exception {
        assertOneFail(UNET.replace("/golden/unet_forward_odd.safetensors", "/golden"), "u",
                "field 'file': not a regular file");
    }

    @Test
    void fifoIndexAndFifoTokenizerGoldenAreRefusedWithoutBlocking() throws Exception {
        Path idx = dir.resolve("pipe.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new ProcessBuilder("mkfifo", idx.toString()).start().waitFor() == 0, "mkfifo unavailable");
        RuntimeException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                        () -> GoldenRunner.standard().run(idx, r -> { })));
        assertTrue(e.getMessage().contains(idx.toString()) && e.getMessage().contains("not a regular file"), e.getMessage());

        Path tok = dir.resolve("tok.json");
        new ProcessBuilder("mkfifo", tok.toString()).start().waitFor();
        String c = "{\"name\": \"t\", \"kind\": \"tokenizer\", \"file\": \"" + tok + "\","
                + " \"model\": \"" + F + "/tiny-sd/tokenizer\", \"outputs\": [\"hf_ids\"]}";
        List<CaseResult> results = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(10), () -> run(c));
        assertEquals(1, results.size(), results.toString());
        assertTrue(results.get(0).line().contains("field 'file': not a regular file"), results.get(0).line());
    }
}
